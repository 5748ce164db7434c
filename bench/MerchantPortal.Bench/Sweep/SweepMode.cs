using System.Globalization;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// How the app under test delivers orders in one sweep run: "push:1s" is the product (one change poller,
/// polling every second), "poll:10s" the baseline it replaces (every open dashboard polls the database
/// itself every 10 s). The text form is the one used on the command line and in the results.
/// </summary>
public sealed record SweepMode(bool Push, TimeSpan Interval)
{
    public string Name => $"{(Push ? "push" : "poll")}:{Duration(Interval)}";

    public string Description => Push
        ? $"product: one change poller, every {Duration(Interval)}"
        : $"baseline: each dashboard polls every {Duration(Interval)}";

    /// <summary>The app's configuration for this mode, as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Environment => Push
        ? new Dictionary<string, string>
        {
            ["OrderNotifications__Delivery"] = "ChangePoller",
            ["OrderNotifications__PollInterval"] = Interval.ToString("c", CultureInfo.InvariantCulture),
        }
        : new Dictionary<string, string>
        {
            ["OrderNotifications__Delivery"] = "DashboardPolling",
            ["OrderNotifications__DashboardPollInterval"] = Interval.ToString("c", CultureInfo.InvariantCulture),
        };

    public static bool TryParse(string text, out SweepMode? mode)
    {
        ArgumentNullException.ThrowIfNull(text);
        mode = null;
        var parts = text.Split(':', 2);
        if (parts.Length != 2 || parts[0] is not ("push" or "poll")
            || !ProbeOptions.TryParseDuration(parts[1], out var interval) || interval < TimeSpan.FromMilliseconds(100))
        {
            return false;
        }

        mode = new SweepMode(parts[0] == "push", interval);
        return true;
    }

    private static string Duration(TimeSpan interval) =>
        interval.TotalSeconds >= 1 && interval.TotalSeconds % 1 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{interval.TotalSeconds:0}s")
            : string.Create(CultureInfo.InvariantCulture, $"{interval.TotalMilliseconds:0}ms");
}
