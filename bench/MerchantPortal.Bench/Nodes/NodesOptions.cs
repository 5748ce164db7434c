using MerchantPortal.Bench.Deploy;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Nodes;

/// <summary>The nodes command's arguments.</summary>
public sealed record NodesOptions(int Circuits, int Merchants, string Postgres, int Concurrency, TimeSpan Idle, int WriteRate, TimeSpan WriteFor)
{
    /// <summary>The pause after opening, before the idle window: start-up leaves work behind (tiered JIT, a GC after the burst).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    public const string Usage =
        "usage: MerchantPortal.Bench nodes --circuits <N> [--bench-merchants <M, default min(N, 1000)>] [--postgres <server connection string, " +
        "default $MERCHANTPORTAL_TEST_POSTGRES>] [--concurrency 50] [--settle 10s] [--idle 20s] [--write-rate 10] [--write-for 30s]";

    public static NodesOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is not ("--circuits" or "--bench-merchants" or "--postgres" or "--concurrency" or "--idle" or "--settle" or "--write-rate" or "--write-for"))
            {
                error = $"unknown argument '{args[i]}'";
                return null;
            }

            if (i + 1 >= args.Count || !values.TryAdd(args[i], args[i + 1]))
            {
                error = $"{args[i]} needs one value, once";
                return null;
            }
        }

        error = "";
        if (!ProbeOptions.TryPositive(values, "--circuits", null, ref error, out var circuits)
            || !ProbeOptions.TryPositive(values, "--bench-merchants", Math.Min(circuits, 1000), ref error, out var merchants)
            || !ProbeOptions.TryPositive(values, "--concurrency", 50, ref error, out var concurrency)
            || !ProbeOptions.TryPositive(values, "--write-rate", 10, ref error, out var rate)
            || !DeployOptions.Duration(values, "--idle", TimeSpan.FromSeconds(20), out var idle, ref error)
            || !DeployOptions.Duration(values, "--write-for", TimeSpan.FromSeconds(30), out var writeFor, ref error)
            || !DeployOptions.Duration(values, "--settle", TimeSpan.FromSeconds(10), out var settle, ref error))
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
