namespace MerchantPortal.Bench.Reconnect;

/// <summary>
/// The product's reconnection schedule, as MerchantPortal/wwwroot/js/reconnect.js sets it for blazor.web.js
/// (keep the two in step): attempt n waits a random time between 20 % and 100 % of min(30 s, 1 s x 2^n);
/// a page whose first circuit start failed reloads (once the server answers, after the backoff), one whose
/// start is merely slow waits for it, up to a 5-minute backstop.
/// </summary>
public static class ReconnectPolicy
{
    public static readonly TimeSpan FirstCap = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxCap = TimeSpan.FromSeconds(30);

    public const double Floor = 0.2;

    /// <summary>reconnect.js's CircuitStartBackstopMs: counted from the page's script start, not its request.</summary>
    public static readonly TimeSpan CircuitStartBackstop = TimeSpan.FromMinutes(5);

    /// <summary>reconnect.js's delayFor(attempt), with <paramref name="unit"/> a uniform draw in [0, 1) (Math.random()).</summary>
    public static TimeSpan DelayFor(int attempt, double unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var cap = Math.Min(MaxCap.TotalMilliseconds, FirstCap.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 15)));
        return TimeSpan.FromMilliseconds(Math.Round(cap * (Floor + (1 - Floor) * unit)));
    }
}
