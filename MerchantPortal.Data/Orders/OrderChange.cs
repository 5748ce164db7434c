namespace MerchantPortal.Data.Orders;

/// <summary>
/// One row per order insert or status change, written by database triggers in the writer's
/// own transaction, so every writer (this app, the CLI, another node, raw SQL) is seen.
/// The change poller reads them through the provider's OrderChangeFeed; see OrderChangeWatermark
/// for how it stays exact when ids become visible out of order.
/// </summary>
public sealed class OrderChange
{
    /// <summary>PostgreSQL only: the writing transaction's id (a shadow column; see PortalDbContext).</summary>
    public const string TransactionIdColumn = "TransactionId";

    /// <summary>SQL Server only: the row's rowversion (a shadow column; see PortalDbContext).</summary>
    public const string VersionColumn = "Version";

    public long Id { get; set; }

    public long OrderId { get; set; }

    public Order? Order { get; set; }

    public int MerchantId { get; set; }

    public OrderChangeKind Kind { get; set; }

    /// <summary>The order's status after this change.</summary>
    public OrderStatus Status { get; set; }

    /// <summary>UTC; used only to trim old rows.</summary>
    public DateTime ChangedAt { get; set; }
}

public enum OrderChangeKind
{
    Created = 0,
    StatusChanged = 1,

    /// <summary>Someone of the merchant acknowledged the order (written by the app with the acknowledgement, not by a trigger).</summary>
    Acknowledged = 2,
}
