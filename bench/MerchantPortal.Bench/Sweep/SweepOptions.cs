using System.Globalization;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Sweep;

/// <summary>The sweep command's arguments, validated before any app is started.</summary>
public sealed record SweepOptions(
    IReadOnlyList<int> Sizes,
    int Merchants,
    IReadOnlyList<SweepMode> Modes,
    TimeSpan Idle,
    int WriteRate,
    TimeSpan WriteFor,
    string Output,
    int Concurrency,
    int Repeats)
{
    public const string Usage =
        "usage: MerchantPortal.Bench sweep [--sizes 1000,5000,10000] [--merchants 1000] [--modes push:1s,poll:10s,poll:1s] " +
        "[--idle 30s] [--write-rate 10] [--write-for 60s] [--concurrency 50] [--repeats 1] [--out bench/results]  " +
        "(every size x mode runs --repeats times, each in a fresh app; repeat 1 of every cell runs before repeat 2 of any)";

    public static SweepOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is not ("--sizes" or "--merchants" or "--modes" or "--idle" or "--write-rate" or "--write-for" or "--concurrency" or "--repeats" or "--out"))
            {
                error = $"unknown argument '{args[i]}'";
                return null;
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{args[i]} needs a value";
                return null;
            }

            if (!values.TryAdd(args[i], args[i + 1]))
            {
                error = $"{args[i]} given twice";
                return null;
            }
        }

        error = "";
        var sizes = new List<int>();
        foreach (var text in (values.GetValueOrDefault("--sizes") ?? "1000,5000,10000").Split(','))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size <= 0)
            {
                error = $"--sizes must be positive whole numbers separated by commas, not '{text}'";
                return null;
            }

            sizes.Add(size);
        }

        var modes = new List<SweepMode>();
        foreach (var text in (values.GetValueOrDefault("--modes") ?? "push:1s,poll:10s,poll:1s").Split(','))
        {
            if (!SweepMode.TryParse(text, out var mode))
            {
                error = $"--modes takes push:<interval> or poll:<interval> (at least 100ms), not '{text}'";
                return null;
            }

            modes.Add(mode!);
        }

        if (!ProbeOptions.TryPositive(values, "--merchants", 1000, ref error, out var merchants)
            || !ProbeOptions.TryPositive(values, "--write-rate", 10, ref error, out var rate)
            || !ProbeOptions.TryPositive(values, "--concurrency", 50, ref error, out var concurrency)
            || !ProbeOptions.TryPositive(values, "--repeats", 1, ref error, out var repeats)
            || !Duration(values, "--idle", TimeSpan.FromSeconds(30), ref error, out var idle)
            || !Duration(values, "--write-for", TimeSpan.FromSeconds(60), ref error, out var writeFor))
        {
            return null;
        }

        if (merchants > BenchAccounts.MaxMerchants)
        {
            error = $"--merchants must be at most {BenchAccounts.MaxMerchants}";
            return null;
        }

        return new SweepOptions(sizes, merchants, modes, idle, rate, writeFor,
            values.GetValueOrDefault("--out") ?? Path.Combine("bench", "results"), concurrency, repeats);
    }

    private static bool Duration(Dictionary<string, string> values, string name, TimeSpan fallback, ref string error, out TimeSpan value)
    {
        value = fallback;
        if (!values.TryGetValue(name, out var text))
        {
            return true;
        }

        if (ProbeOptions.TryParseDuration(text, out value) && value > TimeSpan.Zero)
        {
            return true;
        }

        error = $"{name} must be a duration like 30s or 2m, not '{text}'";
        return false;
    }
}
