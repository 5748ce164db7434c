using MerchantPortal.Admin;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Radzen;

namespace MerchantPortal.Components.Pages.Admin;

/// <summary>
/// Base of the admin pages: every action re-checks the Admin role on the server (the page's
/// [Authorize] guards navigation; this guards each event) and turns refusals into messages.
/// </summary>
public abstract class AdminPage : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    protected NotificationService Notifications { get; set; } = default!;

    protected string? Error { get; set; }

    protected async Task<AdminActor> ActorAsync() => AdminActor.From((await AuthenticationState).User);

    /// <summary>Runs an admin action; bad input becomes <see cref="Error"/>, success a toast.</summary>
    protected async Task<bool> RunAsync(Func<AdminActor, Task> action, string? success = null)
    {
        Error = null;
        try
        {
            await action(await ActorAsync());
            if (success is not null)
            {
                Notifications.Notify(NotificationSeverity.Success, success);
            }

            return true;
        }
        catch (Exception ex) when (ex is AdminInputException or UnauthorizedAccessException)
        {
            Error = ex.Message;
            return false;
        }
    }
}
