using MerchantPortal.Data.Orders;

namespace MerchantPortal.Orders;

/// <summary>What changed for one merchant in one poll.</summary>
/// <param name="Version">Poll number; higher is newer. Lets a subscriber drop a stale count.</param>
/// <param name="NewOrderCount">The merchant's orders in status New after these changes (state, not a delta).</param>
public sealed record OrderNotification(int MerchantId, long Version, int NewOrderCount, IReadOnlyList<OrderChangeEvent> Changes)
{
    /// <summary>The merchant's unacknowledged orders after these changes (state, like the count).</summary>
    public OrderAlarm Alarm { get; init; } = OrderAlarm.Off;

    public IEnumerable<OrderChangeEvent> Created => Changes.Where(c => c.Kind == OrderChangeKind.Created);
}

/// <summary>One order insert or status change, with what a toast shows.</summary>
public sealed record OrderChangeEvent(
    long ChangeId, long OrderId, int MerchantId, OrderChangeKind Kind, OrderStatus Status,
    int Number, string CustomerName, decimal Total, string Currency, DateTime CreatedAt)
{
    public string DisplayNumber => $"#{Number}";

    /// <summary>The order as it now stands, for lists that update without a query.</summary>
    public Order ToOrder() => new()
    {
        Id = OrderId, MerchantId = MerchantId, Number = Number, CustomerName = CustomerName, Total = Total,
        Currency = Currency, Status = Status, CreatedAt = CreatedAt, StatusChangedAt = CreatedAt,
    };
}
