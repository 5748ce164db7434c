using Microsoft.AspNetCore.Components.Server.Circuits;
using MudBlazor;

namespace MerchantPortal.Components;

/// <summary>
/// Clears the circuit's toasts when it closes, before its services are disposed. MudBlazor's
/// SnackbarService.Dispose walks its list without its lock while a toast's hide timer may remove
/// one under the lock; a tab closing while toasts were fading out then logged "Collection was
/// modified" (found by the churn soak). Clear takes the lock and stops the timers, so Dispose
/// finds nothing left to walk.
/// </summary>
internal sealed class SnackbarCircuitHandler(ISnackbar snackbar) : CircuitHandler
{
    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        snackbar.Clear();
        return Task.CompletedTask;
    }
}
