using MerchantPortal.Circuits;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>Accept / Reject for the signed-in merchant; the merchant id never comes from the browser.</summary>
public sealed class OrderDecisions(
    IDbContextFactory<PortalDbContext> dbFactory, AuthenticationStateProvider authentication, OrderChangePoller poller, TimeProvider clock, RefusedRequests refused)
{
    /// <summary>False when the order is not this merchant's or is no longer New.</summary>
    public async Task<bool> DecideAsync(long orderId, OrderStatus decision)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var merchantId = user.RequireMerchantId();
        await using var db = await dbFactory.CreateDbContextAsync();
        var changed = await db.DecideAsync(merchantId, orderId, decision, clock.GetUtcNow().UtcDateTime, user.Identity?.Name);
        if (changed)
        {
            // Every tab (this one included) learns of it from the poller, which now runs at once.
            poller.Wake();
        }
        else if (await db.Orders.AnyAsync(o => o.Id == orderId && o.MerchantId != merchantId))
        {
            // Only asked when refused: no page of this merchant shows that order, so this was forged.
            refused.Refused("decision on another merchant's order", user.Identity?.Name, $"order {orderId}; nothing written");
        }

        return changed;
    }
}
