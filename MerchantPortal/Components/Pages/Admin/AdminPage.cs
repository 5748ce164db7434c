using MerchantPortal.Admin;
using MerchantPortal.Data;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MerchantPortal.Components.Pages.Admin;

/// <summary>
/// Base of the admin pages and their sections: every action re-checks the Admin role on the
/// server (the page's [Authorize] guards navigation; this guards each event), turns refusals
/// into messages, and asks before destructive changes.
/// </summary>
public abstract class AdminPage : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>MainLayout renders the snackbar provider for every signed-in user.</summary>
    [Inject]
    protected ISnackbar Snackbar { get; set; } = default!;

    /// <summary>MainLayout renders the dialog provider for admins.</summary>
    [Inject]
    protected IDialogService Dialogs { get; set; } = default!;

    /// <summary>
    /// A second submit this soon after the first is a double-click, not a request for a
    /// second batch (a fast batch can finish before the second click arrives).
    /// </summary>
    public static readonly TimeSpan DoubleSubmitWindow = TimeSpan.FromSeconds(1);

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected string? Error { get; set; }

    /// <summary>True while an action of this component runs; its buttons are disabled meanwhile.</summary>
    protected bool Busy { get; private set; }

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

    /// <summary>Runs an admin action; bad input becomes <see cref="Error"/>, success a snackbar.</summary>
    protected async Task<bool> RunAsync(Func<AdminActor, Task> action, string? success = null)
    {
        Error = null;
        try
        {
            await action(await ActorAsync());
            if (success is not null)
            {
                Snackbar.Add(success, Severity.Success);
            }

            return true;
        }
        catch (Exception ex) when (ex is AdminInputException or UnauthorizedAccessException or OrderNumberConflictException)
        {
            Error = ex.Message;
            return false;
        }
        catch (Exception ex) when (DatabaseWriteErrors.Describe(ex) is { } reason)
        {
            // Read-only or unreachable database: say so; the page keeps reading.
            Error = reason;
            return false;
        }
    }

    /// <summary>
    /// One action at a time (a second click while one runs does nothing); <paramref name="after"/>
    /// (re-reading the lists) runs whatever happened.
    /// </summary>
    protected async Task<bool> ActAsync(Func<AdminActor, Task> action, string success, Func<Task>? after = null)
    {
        if (Busy)
        {
            return false;
        }

        Busy = true;
        try
        {
            var done = await RunAsync(action, success);
            if (after is not null)
            {
                await after();
            }

            return done;
        }
        finally
        {
            Busy = false;
        }
    }

    /// <summary>Asks before a destructive change; true only when the admin chose <paramref name="yes"/>.</summary>
    protected async Task<bool> ConfirmAsync(string title, string message, string yes) =>
        await Dialogs.ShowMessageBoxAsync(title, message, yesText: yes, cancelText: "Cancel",
            options: new DialogOptions { CloseOnEscapeKey = true, MaxWidth = MaxWidth.ExtraSmall }) == true;
}
