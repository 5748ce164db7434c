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

    /// <summary>What a toast and the live lists need, read with the change in one query.</summary>
    protected static IQueryable<OrderChangeEvent> Project(IQueryable<OrderChange> changes) =>
        changes.Select(c => new OrderChangeEvent(c.Id, c.OrderId, c.MerchantId, c.Kind, c.Status,
            c.Order!.Number, c.Order.CustomerName, c.Order.Total, c.Order.Currency, c.Order.CreatedAt));
}

/// <summary>One read: the rows with their positions, the horizon, and whether the batch size cut it.</summary>
public sealed record OrderChangeRead(IReadOnlyList<(OrderChangeEvent Change, long Position)> Rows, long Horizon, bool Complete);
