namespace MerchantPortal.Orders;

/// <summary>The wait before the next try while the database stays unreachable: doubling, capped.</summary>
public static class RetryBackoff
{
    /// <summary><paramref name="first"/> after the first failure, twice that after the second, and so on up to <paramref name="max"/>.</summary>
    public static TimeSpan Delay(TimeSpan first, int failures, TimeSpan max) =>
        TimeSpan.FromTicks((long)Math.Min(first.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 20)), max.Ticks));
}
