using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>
/// Records when an order was first shown on one of its merchant's screens (a toast or the
/// dashboard's list in a live tab): <see cref="Order.FirstShownAt"/>, written once per order.
/// Every tab of the merchant on this node gets the same notification at the same moment, so the
/// ids already claimed are remembered here (a bounded set, oldest forgotten first) and only the
/// first tab issues the statement; five tabs on one node cost one UPDATE. The UPDATE itself is
/// conditional (FirstShownAt IS NULL), so another node doing the same, or an id this set has
/// forgotten, never moves the first time.
/// </summary>
public sealed class OrderFirstShown(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<OrderFirstShown> logger)
{
    /// <summary>Ids remembered; an order evicted from the set costs at most one more no-op UPDATE.</summary>
    public const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly HashSet<long> _claimed = [];
    private readonly Queue<long> _order = new();
    private long _writes;

    /// <summary>UPDATE statements issued so far (tests and support: one per batch of shown orders, not per tab).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Marks the orders of a notification this tab showed as toasts.</summary>
    public Task MarkAsync(OrderNotification notification) =>
        MarkAsync(notification.MerchantId, [.. notification.Created.Select(c => c.OrderId)]);

    /// <summary>
    /// Marks these orders of <paramref name="merchantId"/> (from the circuit's own live view, never
    /// from the browser) as shown now, unless this process already did. Never throws: a failed
    /// write releases the ids so the next showing tries again.
    /// </summary>
    public async Task MarkAsync(int merchantId, IReadOnlyCollection<long> orderIds)
    {
        if (merchantId == 0 || orderIds.Count == 0)
        {
            return;
        }

        var mine = Claim(orderIds);
        if (mine.Count == 0)
        {
            return;
        }

        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync();
            Interlocked.Increment(ref _writes);
            await db.Orders
                .Where(o => o.MerchantId == merchantId && mine.Contains(o.Id) && o.FirstShownAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(o => o.FirstShownAt, now));
        }
        catch (Exception ex)
        {
            Release(mine);
            logger.LogWarning(ex, "Could not record when {Count} orders of merchant {MerchantId} were first shown; the next tab showing them will", mine.Count, merchantId);
        }
    }

    private List<long> Claim(IEnumerable<long> orderIds)
    {
        var mine = new List<long>();
        lock (_gate)
        {
            foreach (var id in orderIds)
            {
                if (!_claimed.Add(id))
                {
                    continue;
                }

                mine.Add(id);
                _order.Enqueue(id);
                if (_order.Count > Capacity)
                {
                    _claimed.Remove(_order.Dequeue());
                }
            }
        }

        return mine;
    }

    // Left in the queue: an id there that is no longer in the set only shortens its eviction.
    private void Release(List<long> ids)
    {
        lock (_gate)
        {
            _claimed.ExceptWith(ids);
        }
    }
}
