using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Data.Orders;

public static class OrderStatusChanges
{
    /// <summary>
    /// Moves a New order of this merchant to Accepted or Rejected in one conditional UPDATE.
    /// Returns false when the order is not this merchant's, does not exist or is no longer New
    /// (e.g. another tab accepted it first), so nothing changes.
    /// </summary>
    public static async Task<bool> DecideAsync(this PortalDbContext db, int merchantId, long orderId, OrderStatus decision, DateTime nowUtc, CancellationToken ct = default)
    {
        if (decision is not (OrderStatus.Accepted or OrderStatus.Rejected))
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "Only Accepted or Rejected decide a new order.");
        }

        var updated = await db.Orders
            .Where(o => o.Id == orderId && o.MerchantId == merchantId && o.Status == OrderStatus.New)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.Status, decision).SetProperty(o => o.StatusChangedAt, nowUtc), ct);
        return updated == 1;
    }
}
