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

    /// <summary>
    /// A second submit this soon after the first is a double-click, not a request for a
    /// second batch (a fast batch can finish before the second click arrives).
    /// </summary>
    public static readonly TimeSpan DoubleSubmitWindow = TimeSpan.FromSeconds(1);

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected string? Error { get; set; }

    /// <summary>
    /// True when this submit repeats the previous one of the same form (same values) within
    /// <see cref="DoubleSubmitWindow"/>. Changed values are a new request, however quick.
    /// </summary>
    protected bool IsDoubleSubmit(ref (string Values, long At) last, string values)
    {
        var now = Clock.GetTimestamp();
        var repeat = last.At != 0 && last.Values == values && Clock.GetElapsedTime(last.At, now) < DoubleSubmitWindow;
        last = (values, now);
        return repeat;
    }

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
