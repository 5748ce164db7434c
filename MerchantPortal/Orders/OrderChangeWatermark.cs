namespace MerchantPortal.Orders;

/// <summary>
/// Which change rows have been delivered, kept exact by the database's own horizon instead of a
/// timeout: a position below which no writing transaction is still open, so every row there is
/// final (committed and visible, or rolled back for good). A row's position is the writer's
/// transaction id on PostgreSQL, its rowversion on SQL Server and the change id itself on SQLite,
/// where writers are serialised.
/// <para>
/// Each poll reads every row at or above <see cref="Bound"/> that it has not delivered yet. A row
/// whose transaction commits late is delivered by the first poll that sees it; rows already
/// delivered above the bound are remembered until the bound passes them, so none is delivered
/// twice. An open transaction holds back only the bound, never the delivery of rows committed
/// after it began.
/// </para>
/// </summary>
public sealed class OrderChangeWatermark(long bound)
{
    /// <summary>Change id to position, for the rows delivered at or above <see cref="Bound"/>.</summary>
    private readonly Dictionary<long, long> _delivered = [];

    /// <summary>Every row at a lower position has been delivered or can never appear.</summary>
    public long Bound { get; private set; } = bound;

    /// <summary>Ids delivered at or above <see cref="Bound"/>: the next read leaves them out.</summary>
    public IReadOnlyCollection<long> DeliveredAboveBound => _delivered.Keys;

    /// <summary>
    /// Takes the rows of one read and returns those not delivered before, in id order; then moves the
    /// bound to <paramref name="horizon"/> when the read was <paramref name="complete"/>.
    /// </summary>
    /// <param name="horizon">
    /// A position every lower one of which was final when the rows were read: taken before the rows,
    /// or in the same snapshot, never after (a transaction committing in between would be skipped).
    /// </param>
    /// <param name="complete">
    /// The read returned every undelivered row at or above the bound (the batch size did not cut it).
    /// Otherwise the bound stays and the next read continues.
    /// </param>
    public List<T> Accept<T>(IReadOnlyList<T> rows, Func<T, long> idOf, Func<T, long> positionOf, long horizon, bool complete)
    {
        var fresh = new List<T>();
        foreach (var row in rows)
        {
            var position = positionOf(row);
            if (position >= Bound && _delivered.TryAdd(idOf(row), position))
            {
                fresh.Add(row);
            }
        }

        if (complete && horizon > Bound)
        {
            Bound = horizon;
            foreach (var (id, position) in _delivered)
            {
                if (position < Bound)
                {
                    _delivered.Remove(id);
                }
            }
        }

        fresh.Sort((a, b) => idOf(a).CompareTo(idOf(b)));
        return fresh;
    }
}
