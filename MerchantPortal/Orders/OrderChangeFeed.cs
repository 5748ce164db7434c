using MerchantPortal.Data;
using MerchantPortal.Data.Orders;

namespace MerchantPortal.Orders;

/// <summary>
/// How the change poller reads OrderChanges on one database: where a fresh process starts, and one
/// read above the watermark with the horizon that makes it exact (see <see cref="OrderChangeWatermark"/>).
/// One subclass per provider, because each database answers "which transactions are still open"
/// in its own SQL; everything else about polling is the same.
/// </summary>
public abstract class OrderChangeFeed
{
    public static OrderChangeFeed For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteOrderChangeFeed(),
        DatabaseProvider.PostgreSql => new PostgreSqlOrderChangeFeed(),
        DatabaseProvider.SqlServer => new SqlServerOrderChangeFeed(),
        _ => throw new InvalidOperationException($"The order change feed does not support {provider}."),
    };

    /// <summary>A watermark for a process starting now: changes already committed are not announced.</summary>
    public abstract Task<OrderChangeWatermark> StartAsync(PortalDbContext db, CancellationToken ct);

    /// <summary>Up to <paramref name="batchSize"/> undelivered changes at or above the watermark's bound, in id order.</summary>
    public abstract Task<OrderChangeRead> ReadAsync(PortalDbContext db, OrderChangeWatermark watermark, int batchSize, CancellationToken ct);

    /// <summary>
    /// A server database's read as a list of rows: the horizon on every row, the change's columns on
    /// none when there were no changes (the horizon row comes back alone).
    /// </summary>
    protected static OrderChangeRead ToRead(IReadOnlyList<ChangeRow> rows, int batchSize)
    {
        var changes = rows.Where(r => r.ChangeId is not null)
            .Select(r => (new OrderChangeEvent(r.ChangeId!.Value, r.OrderId!.Value, r.MerchantId!.Value, (OrderChangeKind)r.Kind!.Value,
                (OrderStatus)r.Status!.Value, r.Number!.Value, r.CustomerName!, r.Total!.Value, r.Currency!, r.CreatedAt!.Value), r.Position!.Value))
            .ToList();
        return new OrderChangeRead(changes, rows[0].Horizon, Complete: changes.Count < batchSize);
    }

    /// <summary>The start-up read of a server database: the changes above the horizon become delivered, unannounced.</summary>
    protected static OrderChangeWatermark ToWatermark(IReadOnlyList<StartRow> rows)
    {
        var watermark = new OrderChangeWatermark(rows[0].Horizon);
        watermark.Accept([.. rows.Where(r => r.ChangeId is not null)], r => r.ChangeId!.Value, r => r.Position!.Value, rows[0].Horizon, complete: false);
        return watermark;
    }

    /// <summary>One row of a server database's start-up read (column names are the SQL's aliases).</summary>
    public sealed record StartRow(long Horizon, long? ChangeId, long? Position);

    /// <summary>One row of a server database's poll (column names are the SQL's aliases).</summary>
    public sealed record ChangeRow(
        long Horizon, long? ChangeId, long? Position, long? OrderId, int? MerchantId, int? Kind, int? Status,
        int? Number, string? CustomerName, decimal? Total, string? Currency, DateTime? CreatedAt);

    /// <summary>What a toast and the live lists need, read with the change in one query.</summary>
    protected static IQueryable<OrderChangeEvent> Project(IQueryable<OrderChange> changes) =>
        changes.Select(c => new OrderChangeEvent(c.Id, c.OrderId, c.MerchantId, c.Kind, c.Status,
            c.Order!.Number, c.Order.CustomerName, c.Order.Total, c.Order.Currency, c.Order.CreatedAt));
}

/// <summary>One read: the rows with their positions, the horizon, and whether the batch size cut it.</summary>
public sealed record OrderChangeRead(IReadOnlyList<(OrderChangeEvent Change, long Position)> Rows, long Horizon, bool Complete);
