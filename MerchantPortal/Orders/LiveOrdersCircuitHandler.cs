using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MerchantPortal.Orders;

/// <summary>
/// After a dropped connection comes back to the same circuit, re-reads the New-order count so
/// the badge equals the database, whatever happened while the tab was away.
/// </summary>
internal sealed class LiveOrdersCircuitHandler(MerchantLiveOrders live, ILogger<LiveOrdersCircuitHandler> logger) : CircuitHandler
{
    private bool _wasDown;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _wasDown = true;
        return Task.CompletedTask;
    }

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (!_wasDown || live.MerchantId == 0)
        {
            return;
        }

        _wasDown = false;
        try
        {
            await live.RefreshAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not refresh the new-order count after a reconnect; the next change will");
        }
    }
}
