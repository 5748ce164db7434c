using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Data.Orders;

/// <summary>
/// The only entry points for reading orders on behalf of a merchant. The merchant id comes
/// from the signed-in user's claims on the server, never from the browser.
/// </summary>
public static class OrderQueries
{
    public static IQueryable<Order> OfMerchant(this PortalDbContext db, int merchantId) =>
        db.Orders.AsNoTracking().Where(o => o.MerchantId == merchantId);

    public static Task<int> CountNewAsync(this PortalDbContext db, int merchantId, CancellationToken ct = default) =>
        db.OfMerchant(merchantId).CountAsync(o => o.Status == OrderStatus.New, ct);

    /// <summary>The merchant's unacknowledged New orders: how many, and since when.</summary>
    public static async Task<OrderAlarm> AlarmAsync(this PortalDbContext db, int merchantId, CancellationToken ct = default)
    {
        var unacknowledged = db.OfMerchant(merchantId).Where(o => o.Status == OrderStatus.New && o.AcknowledgedAt == null);
        // Grouped by a constant: no group when there is nothing, else exactly one. Single, not
        // First: First on the grouped query has neither filter nor order at its outer level, and
        // EF Core logged "First without OrderBy" for it on every read (the soak saw it).
        var state = await unacknowledged
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Since = g.Min(o => (DateTime?)o.CreatedAt) })
            .SingleOrDefaultAsync(ct);
        return state is null ? OrderAlarm.Off : new OrderAlarm(state.Count, state.Since);
    }

    public static Task<Order?> FindForMerchantAsync(this PortalDbContext db, int merchantId, long orderId, CancellationToken ct = default) =>
        db.OfMerchant(merchantId).FirstOrDefaultAsync(o => o.Id == orderId, ct);
}
