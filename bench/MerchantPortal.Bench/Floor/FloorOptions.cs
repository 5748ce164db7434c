using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Floor;

/// <summary>The floor command's arguments.</summary>
internal sealed record FloorOptions(int Circuits, int Merchants, int Repeats, TimeSpan Settle, TimeSpan Idle, bool Alerts, bool Ping, string? Out)
{
    public const string Usage =
        "usage: MerchantPortal.Bench floor --circuits <N> [--merchants 100] [--repeats 3] [--settle 10s] [--idle 20s] " +
        "[--alerts on|off] [--ping on|off] [--out <folder>]";

    public static FloorOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is not ("--circuits" or "--merchants" or "--repeats" or "--settle" or "--idle" or "--alerts" or "--ping" or "--out")
                || i + 1 >= args.Count || !values.TryAdd(args[i], args[i + 1]))
            {
                error = $"'{args[i]}': unknown, given twice or without a value";
                return null;
            }
        }

        error = "";
        if (!ProbeOptions.TryPositive(values, "--circuits", null, ref error, out var circuits)
            || !ProbeOptions.TryPositive(values, "--merchants", 100, ref error, out var merchants)
            || !ProbeOptions.TryPositive(values, "--repeats", 3, ref error, out var repeats)
            || !Duration(values, "--settle", 10, ref error, out var settle)
            || !Duration(values, "--idle", 20, ref error, out var idle)
            || !OnOff(values, "--alerts", ref error, out var alerts)
            || !OnOff(values, "--ping", ref error, out var ping))
        {
            return null;
        }

        return new FloorOptions(circuits, Math.Min(merchants, circuits), repeats, settle, idle, alerts, ping, values.GetValueOrDefault("--out"));
    }

    internal static bool Duration(Dictionary<string, string> values, string name, double seconds, ref string error, out TimeSpan value)
    {
        value = TimeSpan.FromSeconds(seconds);
        if (!values.TryGetValue(name, out var text) || ProbeOptions.TryParseDuration(text, out value))
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
