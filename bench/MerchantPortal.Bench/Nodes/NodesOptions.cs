namespace MerchantPortal.Bench.Nodes;

/// <summary>The nodes command's arguments.</summary>
public sealed record NodesOptions(int Circuits, int Merchants, string Postgres, int Concurrency, TimeSpan Idle, int WriteRate, TimeSpan WriteFor)
{
    /// <summary>The pause after opening, before the idle window: start-up leaves work behind (tiered JIT, a GC after the burst).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    public const string Usage =
        "usage: MerchantPortal.Bench nodes --circuits <N> [--bench-merchants <M, default min(N, 1000)>] [--postgres <server connection string, " +
        "default $MERCHANTPORTAL_TEST_POSTGRES>] [--concurrency 50] [--settle 10s] [--idle 20s] [--write-rate 10] [--write-for 30s]";

    private static readonly string[] Names = ["--circuits", "--bench-merchants", "--postgres", "--concurrency", "--idle", "--settle", "--write-rate", "--write-for"];

    public static NodesOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var values = CommandLineArgs.Parse(args, Names, out error);
        if (values is null
            || !CommandLineArgs.TryPositive(values, "--circuits", null, ref error, out var circuits)
            || !CommandLineArgs.TryPositive(values, "--bench-merchants", Math.Min(circuits, 1000), ref error, out var merchants)
            || !CommandLineArgs.TryPositive(values, "--concurrency", 50, ref error, out var concurrency)
            || !CommandLineArgs.TryPositive(values, "--write-rate", 10, ref error, out var rate)
            || !CommandLineArgs.TryDuration(values, "--idle", TimeSpan.FromSeconds(20), ref error, out var idle)
            || !CommandLineArgs.TryDuration(values, "--write-for", TimeSpan.FromSeconds(30), ref error, out var writeFor)
            || !CommandLineArgs.TryDuration(values, "--settle", TimeSpan.FromSeconds(10), ref error, out var settle))
        {
            return null;
        }

        var postgres = values.GetValueOrDefault("--postgres") ?? Environment.GetEnvironmentVariable("MERCHANTPORTAL_TEST_POSTGRES");
        if (string.IsNullOrEmpty(postgres))
        {
            error = "--postgres (or MERCHANTPORTAL_TEST_POSTGRES) must name a PostgreSQL server, e.g. Host=127.0.0.1;Port=5432;Username=postgres";
            return null;
        }

        return new NodesOptions(circuits, Math.Min(merchants, circuits), postgres, concurrency, idle, rate, writeFor) { Settle = settle };
    }
}
