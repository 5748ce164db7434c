using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Data.Orders;

public static class OrderStatusChanges
{
    /// <summary>
    /// Moves a New order of this merchant to Accepted or Rejected in one conditional UPDATE,
    /// recording who decided and, if nobody had yet, that they acknowledged it (a decision answers
    /// the alert). Returns false when the order is not this merchant's, does not exist or is no
    /// longer New (e.g. another tab accepted it first), so nothing changes.
    /// </summary>
    public static async Task<bool> DecideAsync(this PortalDbContext db, int merchantId, long orderId, OrderStatus decision, DateTime nowUtc, string? by = null, CancellationToken ct = default)
    {
        if (decision is not (OrderStatus.Accepted or OrderStatus.Rejected))
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "Only Accepted or Rejected decide a new order.");
        }

        var updated = await db.Orders
            .Where(o => o.Id == orderId && o.MerchantId == merchantId && o.Status == OrderStatus.New)
            .ExecuteUpdateAsync(set => set
                .SetProperty(o => o.Status, decision)
                .SetProperty(o => o.StatusChangedAt, nowUtc)
                .SetProperty(o => o.DecidedBy, by)
                .SetProperty(o => o.AcknowledgedAt, o => o.AcknowledgedAt ?? nowUtc)
                .SetProperty(o => o.AcknowledgedBy, o => o.AcknowledgedBy ?? by), ct);
        return updated == 1;
    }

    /// <summary>
    /// Marks New, unacknowledged orders of this merchant as acknowledged by <paramref name="by"/>
    /// (one order, or all of them when <paramref name="orderId"/> is null) and writes an
    /// Acknowledged change row for each in the same transaction, so every tab on every node
    /// learns of it through the change feed like any other change. Each order is a conditional
    /// UPDATE: of two people acknowledging at once, one wins and the other's count is 0.
    /// Returns the ids this call acknowledged.
    /// </summary>
    public static async Task<List<long>> AcknowledgeAsync(this PortalDbContext db, int merchantId, long? orderId, string by, DateTime nowUtc, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var candidates = await db.Orders
            .Where(o => o.MerchantId == merchantId && o.Status == OrderStatus.New && o.AcknowledgedAt == null && (orderId == null || o.Id == orderId))
            .OrderBy(o => o.Id)
            .Select(o => o.Id)
            .ToListAsync(ct);
        var acknowledged = new List<long>(candidates.Count);
        foreach (var id in candidates)
        {
            var updated = await db.Orders
                .Where(o => o.Id == id && o.Status == OrderStatus.New && o.AcknowledgedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(o => o.AcknowledgedAt, nowUtc).SetProperty(o => o.AcknowledgedBy, by), ct);
            if (updated == 1)
            {
                acknowledged.Add(id);
                // Not a trigger's row: only the app acknowledges, and the trigger-fed kinds stay
                // what any writer's insert or status change produces.
                db.OrderChanges.Add(new OrderChange
                {
                    OrderId = id, MerchantId = merchantId, Kind = OrderChangeKind.Acknowledged, Status = OrderStatus.New, ChangedAt = nowUtc,
                });
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return acknowledged;
    }
}
