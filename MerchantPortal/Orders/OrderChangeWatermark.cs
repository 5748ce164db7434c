namespace MerchantPortal.Orders;

/// <summary>
/// Which change ids have been delivered. Ids come from an identity/sequence assigned at insert
/// but visible only at commit, so id 8 can appear before id 7 when 7's transaction commits
/// later. <see cref="Settled"/> only moves over ids that were seen; ids seen beyond a gap are
/// remembered so they are delivered once. A gap open longer than the timeout is taken to be a
/// rolled-back transaction and skipped.
/// </summary>
public sealed class OrderChangeWatermark(long start, TimeSpan gapTimeout)
{
    private readonly SortedSet<long> _seenAbove = [];
    private DateTime? _gapSince;

    /// <summary>Every id up to this one has been delivered or given up; poll for ids above it.</summary>
    public long Settled { get; private set; } = start;

    /// <summary>Ids above <see cref="Settled"/> already delivered (beyond an open gap).</summary>
    public int PendingCount => _seenAbove.Count;

    /// <summary>Gaps given up on so far.</summary>
    public int AbandonedGaps { get; private set; }

    /// <summary>
    /// Takes the rows read above <see cref="Settled"/> and returns those not delivered before,
    /// in id order; then advances.
    /// </summary>
    public List<T> Accept<T>(IEnumerable<T> rows, Func<T, long> idOf, DateTime nowUtc)
    {
        var fresh = new List<T>();
        foreach (var row in rows.OrderBy(idOf))
        {
            var id = idOf(row);
            if (id > Settled && _seenAbove.Add(id))
            {
                fresh.Add(row);
            }
        }

        Advance(nowUtc);
        return fresh;
    }

    private void Advance(DateTime nowUtc)
    {
        while (true)
        {
            while (_seenAbove.Count > 0 && _seenAbove.Min == Settled + 1)
            {
                Settled++;
                _seenAbove.Remove(Settled);
                _gapSince = null;
            }

            if (_seenAbove.Count == 0)
            {
                _gapSince = null;
                return;
            }

            // Settled + 1 is missing while a later id is visible: its transaction is still open.
            _gapSince ??= nowUtc;
            if (nowUtc - _gapSince < gapTimeout)
            {
                return;
            }

            Settled = _seenAbove.Min - 1;
            _gapSince = null;
            AbandonedGaps++;
        }
    }
}
