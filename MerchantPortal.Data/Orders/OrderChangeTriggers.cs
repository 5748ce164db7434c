namespace MerchantPortal.Data.Orders;

/// <summary>
/// Names of the triggers that fill OrderChanges. Their bodies live in each provider's
/// migrations (SQLite: OrderChangeLog), because migrations must not change after release.
/// </summary>
public static class OrderChangeTriggers
{
    public const string Inserted = "TR_Orders_Inserted_Change";
    public const string StatusChanged = "TR_Orders_StatusChanged_Change";

    /// <summary>PostgreSQL: the channel the change feed's trigger notifies at commit (PostgreSqlChangeListener listens).</summary>
    public const string NotifyChannel = "merchantportal_order_changes";
}
