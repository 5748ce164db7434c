using System.Globalization;

namespace MerchantPortal.Bench.Sweep;

/// <summary>The sweep command's arguments, validated before any app is started.</summary>
public sealed record SweepOptions(
    IReadOnlyList<int> Sizes,
    int Merchants,
    IReadOnlyList<SweepMode> Modes,
    TimeSpan Idle,
    IReadOnlyList<int> WriteRates,
    TimeSpan WriteFor,
    string Output,
    int Concurrency,
    int Repeats)
{
    /// <summary>Which databases every (size, mode) runs on; notify modes run on PostgreSQL only.</summary>
    public IReadOnlyList<SweepDatabase> Databases { get; init; } = [SweepDatabase.Sqlite];

    public const string Usage =
        "usage: MerchantPortal.Bench sweep [--sizes 1000,5000,10000] [--merchants 1000] [--databases sqlite,postgres] " +
        "[--modes push:1s,push:1s+notify,poll:10s,poll:1s] [--idle 30s] [--write-rates 10,500 | --write-rate 10] [--write-for 60s] " +
        "[--concurrency 50] [--repeats 1] [--out bench/results]  " +
        "(every database x size x mode runs --repeats times, each in a fresh app, with one write window per rate; " +
        "+notify modes need PostgreSQL and run on it alone; repeat 1 of every cell runs before repeat 2 of any)";

    private static readonly string[] Names =
        ["--sizes", "--merchants", "--databases", "--modes", "--idle", "--write-rate", "--write-rates", "--write-for", "--concurrency", "--repeats", "--out"];

    public static SweepOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var values = CommandLineArgs.Parse(args, Names, out error);
        if (values is null)
        {
            return null;
        }

        if (values.ContainsKey("--write-rate") && values.ContainsKey("--write-rates"))
        {
            error = "--write-rate and --write-rates exclude each other: --write-rate 10 is --write-rates 10";
            return null;
        }

        var rateName = values.ContainsKey("--write-rate") ? "--write-rate" : "--write-rates";
        if (!TryNumbers(values, "--sizes", "1000,5000,10000", ref error, out var sizes)
            || !TryNumbers(values, rateName, "10", ref error, out var rates))
        {
            return null;
        }

        var databases = new List<SweepDatabase>();
        foreach (var text in (values.GetValueOrDefault("--databases") ?? "sqlite").Split(','))
        {
            if (!SweepDatabases.TryParse(text, out var database) || databases.Contains(database))
            {
                error = $"--databases takes sqlite and/or postgres, each once, not '{text}'";
                return null;
            }

            databases.Add(database);
        }

        var modes = new List<SweepMode>();
        foreach (var text in (values.GetValueOrDefault("--modes") ?? "push:1s,poll:10s,poll:1s").Split(','))
        {
            if (!SweepMode.TryParse(text, out var mode))
            {
                error = $"--modes takes push:<interval>, push:<interval>+notify or poll:<interval> (at least 100ms), not '{text}'";
                return null;
            }

            modes.Add(mode!);
        }

        if (modes.Any(m => m.Notify) && !databases.Contains(SweepDatabase.Postgres))
        {
            error = "+notify modes need PostgreSQL (its NOTIFY wakes the change poller; SQLite has none): add --databases postgres";
            return null;
        }

        if (!CommandLineArgs.TryPositive(values, "--merchants", 1000, ref error, out var merchants)
            || !CommandLineArgs.TryPositive(values, "--concurrency", 50, ref error, out var concurrency)
            || !CommandLineArgs.TryPositive(values, "--repeats", 1, ref error, out var repeats)
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

        return new SweepOptions(sizes, merchants, modes, idle, rates, writeFor,
            values.GetValueOrDefault("--out") ?? Path.Combine("bench", "results"), concurrency, repeats)
        {
            Databases = databases,
        };
    }

    private static bool TryNumbers(Dictionary<string, string> values, string name, string fallback, ref string error, out List<int> numbers)
    {
        numbers = [];
        foreach (var text in (values.GetValueOrDefault(name) ?? fallback).Split(','))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            {
                error = $"{name} must be positive whole numbers separated by commas, not '{text}'";
                return false;
            }

            numbers.Add(number);
        }

        return true;
    }

    private static bool Duration(Dictionary<string, string> values, string name, TimeSpan fallback, ref string error, out TimeSpan value)
    {
        value = fallback;
        if (!values.TryGetValue(name, out var text))
        {
            return true;
        }

        if (CommandLineArgs.TryParseDuration(text, out value) && value > TimeSpan.Zero)
        {
            return true;
        }

        error = $"{name} must be a duration like 30s or 2m, not '{text}'";
        return false;
    }
}
