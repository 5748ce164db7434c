using MerchantPortal.Bench.Circuits;

namespace MerchantPortal.Bench.Floor;

/// <summary>The floor command's arguments.</summary>
internal sealed record FloorOptions(int Circuits, int Merchants, int Repeats, TimeSpan Settle, TimeSpan Idle, bool Alerts, bool Ping, string? Out)
{
    /// <summary>
    /// A third phase per repeat: the dashboards again with these app settings (environment variables,
    /// e.g. Circuits__LogForgedCalls=false), so a cost is read as a ratio within the same run; empty: none.
    /// </summary>
    public IReadOnlyDictionary<string, string> VariantEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>The variant's armed ping (on vs off measures what the ping costs); null: as <see cref="Ping"/>.</summary>
    public bool? VariantPing { get; init; }

    /// <summary>The armed ping's period; the product's is 16 s (<see cref="AlertsOnBrowser.ProductPingInterval"/>).</summary>
    public TimeSpan PingEvery { get; init; } = AlertsOnBrowser.ProductPingInterval;

    public bool HasVariant => VariantEnvironment.Count > 0 || VariantPing is not null;

    public const string Usage =
        "usage: MerchantPortal.Bench floor --circuits <N> [--merchants 100] [--repeats 3] [--settle 10s] [--idle 20s] " +
        "[--alerts on|off] [--ping on|off] [--variant-env K=V[;K=V]] [--variant-ping on|off] [--ping-every 16s] [--out <folder>]";

    private static readonly string[] Names =
        ["--circuits", "--merchants", "--repeats", "--settle", "--idle", "--alerts", "--ping", "--out", "--variant-env", "--variant-ping", "--ping-every"];

    public static FloorOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var values = CommandLineArgs.Parse(args, Names, out error);
        if (values is null
            || !CommandLineArgs.TryPositive(values, "--circuits", null, ref error, out var circuits)
            || !CommandLineArgs.TryPositive(values, "--merchants", 100, ref error, out var merchants)
            || !CommandLineArgs.TryPositive(values, "--repeats", 3, ref error, out var repeats)
            || !Duration(values, "--settle", 10, ref error, out var settle)
            || !Duration(values, "--idle", 20, ref error, out var idle)
            || !OnOff(values, "--alerts", ref error, out var alerts)
            || !OnOff(values, "--ping", ref error, out var ping)
            || !OnOff(values, "--variant-ping", ref error, out var variantPing)
            || !Duration(values, "--ping-every", AlertsOnBrowser.ProductPingInterval.TotalSeconds, ref error, out var pingEvery))
        {
            return null;
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in values.GetValueOrDefault("--variant-env", "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (pair.Split('=', 2) is not [{ Length: > 0 } key, var value])
            {
                error = $"--variant-env takes KEY=VALUE pairs separated by ';', not '{pair}'";
                return null;
            }

            environment[key] = value;
        }

        return new FloorOptions(circuits, Math.Min(merchants, circuits), repeats, settle, idle, alerts, ping, values.GetValueOrDefault("--out"))
        {
            VariantEnvironment = environment,
            VariantPing = values.ContainsKey("--variant-ping") ? variantPing : null,
            PingEvery = pingEvery,
        };
    }

    internal static bool Duration(Dictionary<string, string> values, string name, double seconds, ref string error, out TimeSpan value)
    {
        value = TimeSpan.FromSeconds(seconds);
        if (!values.TryGetValue(name, out var text) || CommandLineArgs.TryParseDuration(text, out value))
        {
            return true;
        }

        error = $"{name} must be a duration like 20s, not '{text}'";
        return false;
    }

    private static bool OnOff(Dictionary<string, string> values, string name, ref string error, out bool on)
    {
        var text = values.GetValueOrDefault(name, "on");
        on = text == "on";
        if (text is "on" or "off")
        {
            return true;
        }

        error = $"{name} is on or off, not '{text}'";
        return false;
    }
}
