namespace MerchantPortal.Data.Orders;

/// <summary>
/// A merchant's alarm: how many of its orders are unacknowledged (New, nobody answered) and since
/// when (the oldest one's creation, UTC). State read from the database, like the New count.
/// </summary>
public readonly record struct OrderAlarm(int Unacknowledged, DateTime? Since)
{
    public static readonly OrderAlarm Off = new(0, null);

    public bool IsOn => Unacknowledged > 0;
}
