using System.Globalization;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// How the app under test delivers orders in one sweep run: "push:1s" is the product (one change poller,
/// polling every second), "push:1s+notify" the product woken at once by PostgreSQL's NOTIFY (the poll
/// interval only bounds a missed notification), "poll:10s" the baseline it replaces (every open dashboard
/// polls the database itself every 10 s). The text form is the one used on the command line and in the results.
/// </summary>
public sealed record SweepMode(bool Push, TimeSpan Interval, bool Notify = false)
{
    private const string NotifySuffix = "+notify";

    public string Name => $"{(Push ? "push" : "poll")}:{Duration(Interval)}{(Notify ? NotifySuffix : "")}";

    public string Description => Push
        ? $"product: one change poller, every {Duration(Interval)}{(Notify ? ", woken by NOTIFY" : "")}"
        : $"baseline: each dashboard polls every {Duration(Interval)}";

    /// <summary>
    /// The app's configuration for this mode, as environment variables. Listen is always set: the app's
    /// default is on, so "push:1s" on PostgreSQL must switch it off to be bound by the poll interval.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => Push
        ? new Dictionary<string, string>
        {
            ["OrderNotifications__Delivery"] = "ChangePoller",
            ["OrderNotifications__PollInterval"] = Interval.ToString("c", CultureInfo.InvariantCulture),
            ["OrderNotifications__Listen"] = Notify ? "true" : "false",
        }
        : new Dictionary<string, string>
        {
            ["OrderNotifications__Delivery"] = "DashboardPolling",
            ["OrderNotifications__DashboardPollInterval"] = Interval.ToString("c", CultureInfo.InvariantCulture),
            ["OrderNotifications__Listen"] = "false",
        };

    /// <summary>push:&lt;interval&gt;[+notify] or poll:&lt;interval&gt;, the interval at least 100 ms.</summary>
    public static bool TryParse(string text, out SweepMode? mode)
    {
        ArgumentNullException.ThrowIfNull(text);
        mode = null;
        var notify = text.EndsWith(NotifySuffix, StringComparison.Ordinal);
        var parts = (notify ? text[..^NotifySuffix.Length] : text).Split(':', 2);
        if (parts.Length != 2 || parts[0] is not ("push" or "poll") || (notify && parts[0] != "push")
            || !CommandLineArgs.TryParseDuration(parts[1], out var interval) || interval < TimeSpan.FromMilliseconds(100))
        {
            return false;
        }

        mode = new SweepMode(parts[0] == "push", interval, notify);
        return true;
    }

    private static string Duration(TimeSpan interval) =>
        interval.TotalSeconds >= 1 && interval.TotalSeconds % 1 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{interval.TotalSeconds:0}s")
            : string.Create(CultureInfo.InvariantCulture, $"{interval.TotalMilliseconds:0}ms");
}
