using MerchantPortal.Circuits;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>
/// "I have seen it" for the signed-in merchant user: one order or all of them. The merchant id
/// and the user's name come from the circuit's authentication state, never from the browser.
/// The write is a change like any other: the poller (woken here for this process, by NOTIFY or
/// its next interval elsewhere) tells every tab of the merchant on every node to stop ringing.
/// </summary>
public sealed class OrderAcknowledgements(
    IDbContextFactory<PortalDbContext> dbFactory, AuthenticationStateProvider authentication, OrderChangePoller poller, TimeProvider clock, RefusedRequests refused)
{
    /// <summary>False when the order is not this merchant's, not New, or someone acknowledged it first.</summary>
    public async Task<bool> AcknowledgeAsync(long orderId) => (await WriteAsync(orderId)).Count == 1;

    /// <summary>Acknowledges every unacknowledged New order of the merchant; returns how many this call did.</summary>
    public async Task<int> AcknowledgeAllAsync() => (await WriteAsync(null)).Count;

    private async Task<List<long>> WriteAsync(long? orderId)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var merchantId = user.RequireMerchantId();
        var by = user.Identity?.Name ?? throw new UnauthorizedAccessException("Acknowledging needs a signed-in user.");
        await using var db = await dbFactory.CreateDbContextAsync();
        var done = await db.AcknowledgeAsync(merchantId, orderId, by, clock.GetUtcNow().UtcDateTime);
        if (done.Count > 0)
        {
            poller.Wake();
        }
        else if (orderId is { } id && await db.Orders.AnyAsync(o => o.Id == id && o.MerchantId != merchantId))
        {
            // Only asked when refused: no page of this merchant shows that order, so this was forged.
            refused.Refused("acknowledgement of another merchant's order", by, $"order {id}; nothing written");
        }

        return done;
    }
}
