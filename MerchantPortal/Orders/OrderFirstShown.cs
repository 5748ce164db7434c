using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>
/// Records when an order was first shown on one of its merchant's screens (a toast or the
/// dashboard's list in a live tab): <see cref="Order.FirstShownAt"/>, written once per order.
/// Every tab of the merchant on this node gets the same notification at the same moment, so the
/// ids already claimed are remembered here (a bounded set, oldest forgotten first) and only the
/// first tab queues them; five tabs on one node cost one UPDATE. The UPDATE itself is
/// conditional (FirstShownAt IS NULL), so another node doing the same, or an id this set has
/// forgotten, never moves the first time.
/// <para>
/// The writes are off the render path and coalesced: one write runs at a time, and the marks
/// queued while it runs go into the next one, one transaction and one UPDATE per merchant. At a
/// burst of hundreds of orders a second this is a few transactions a second instead of one per
/// order, each waiting for the database's write lock (SQLite has one for the whole file) while
/// holding a thread and delaying the badge's render. The stamp is the time of the write: at
/// most one write's duration after the toast reached the tab.
/// </para>
/// </summary>
public sealed class OrderFirstShown(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<OrderFirstShown> logger)
{
    /// <summary>Ids remembered; an order evicted from the set costs at most one more no-op UPDATE.</summary>
    public const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly HashSet<long> _claimed = [];
    private readonly Queue<long> _order = new();
    private List<Mark> _queued = [];
    private bool _writing;
    private long _writes;

    private sealed record Mark(int MerchantId, List<long> OrderIds, TaskCompletionSource Written);

    /// <summary>UPDATE statements issued so far (tests and support: one per merchant and write, not per tab).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Marks the orders of a notification this tab showed as toasts.</summary>
    public Task MarkAsync(OrderNotification notification) =>
        MarkAsync(notification.MerchantId, [.. notification.Created.Select(c => c.OrderId)]);

    /// <summary>
    /// Queues these orders of <paramref name="merchantId"/> (from the circuit's own live view, never
    /// from the browser) to be marked as shown, unless this process already did. The task ends
    /// when the write that took them ended; it never throws, so callers need not await it: a failed
    /// write releases the ids so the next showing tries again.
    /// </summary>
    public Task MarkAsync(int merchantId, IReadOnlyCollection<long> orderIds)
    {
        if (merchantId == 0 || orderIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        var mark = new Mark(merchantId, [], new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            Claim(orderIds, mark.OrderIds);
            if (mark.OrderIds.Count == 0)
            {
                return Task.CompletedTask;
            }

            _queued.Add(mark);
            if (_writing)
            {
                return mark.Written.Task;
            }

            _writing = true;
        }

        _ = Task.Run(WriteQueuedAsync);
        return mark.Written.Task;
    }

    // The only writer: runs until the queue is empty, taking everything queued meanwhile each time.
    private async Task WriteQueuedAsync()
    {
        while (true)
        {
            List<Mark> marks;
            lock (_gate)
            {
                if (_queued.Count == 0)
                {
                    _writing = false;
                    return;
                }

                (marks, _queued) = (_queued, []);
            }

            await WriteAsync(marks);
            marks.ForEach(m => m.Written.TrySetResult());
        }
    }

    private async Task WriteAsync(List<Mark> marks)
    {
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var merchant in marks.GroupBy(m => m.MerchantId))
            {
                var merchantId = merchant.Key;
                List<long> ids = [.. merchant.SelectMany(m => m.OrderIds)];
                Interlocked.Increment(ref _writes);
                await db.Orders
                    .Where(o => o.MerchantId == merchantId && ids.Contains(o.Id) && o.FirstShownAt == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(o => o.FirstShownAt, now));
            }

            await transaction.CommitAsync();
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                marks.ForEach(m => _claimed.ExceptWith(m.OrderIds));
            }

            logger.LogWarning(ex, "Could not record when {Count} orders of {Merchants} merchants were first shown; the next tab showing them will",
                marks.Sum(m => m.OrderIds.Count), marks.Select(m => m.MerchantId).Distinct().Count());
        }
    }

    // Under _gate. An id released after a failed write stays in the queue: an id there that is no
    // longer in the set only shortens its eviction.
    private void Claim(IEnumerable<long> orderIds, List<long> mine)
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
}
