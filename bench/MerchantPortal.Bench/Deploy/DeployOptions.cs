using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Deploy;

/// <summary>The deploy command's arguments.</summary>
public sealed record DeployOptions(int Circuits, IReadOnlyList<string> Merchants, int BenchMerchants, string? Postgres, int Concurrency, TimeSpan Hold, TimeSpan Deadline)
{
    public const string Usage =
        "usage: MerchantPortal.Bench deploy --circuits <N> [--bench-merchants <M, default N/10 up to 1000> | --merchants a@x,b@y] [--postgres <server connection string>] " +
        "[--concurrency 50] [--hold 10s] [--deadline 10m]";

    private static readonly string[] Names = ["--circuits", "--bench-merchants", "--merchants", "--postgres", "--concurrency", "--hold", "--deadline"];

    public static DeployOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var values = CommandLineArgs.Parse(args, Names, out error);
        if (values is null
            || !CommandLineArgs.TryPositive(values, "--circuits", null, ref error, out var circuits)
            || !CommandLineArgs.TryPositive(values, "--bench-merchants", 0, ref error, out var bench)
            || !CommandLineArgs.TryPositive(values, "--concurrency", 50, ref error, out var concurrency)
            || !CommandLineArgs.TryDuration(values, "--hold", TimeSpan.FromSeconds(10), ref error, out var hold)
            || !CommandLineArgs.TryDuration(values, "--deadline", TimeSpan.FromMinutes(10), ref error, out var deadline))
        {
            return null;
        }

        if (bench > BenchAccounts.MaxMerchants || (bench > 0 && values.ContainsKey("--merchants")))
        {
            error = $"--bench-merchants (at most {BenchAccounts.MaxMerchants}) and --merchants exclude each other";
            return null;
        }

        // By default one bench merchant per 10 dashboards (at most 1,000): the app allows 20 circuits per user
        // and node (Circuits:MaxPerUser), and a merchant keeps a few tabs, not thousands.
        if (!values.ContainsKey("--merchants") && bench == 0)
        {
            bench = Math.Clamp((circuits + 9) / 10, 1, 1000);
        }

        var merchants = bench > 0 ? BenchAccounts.Emails(bench)
            : values["--merchants"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new DeployOptions(circuits, merchants, bench, values.GetValueOrDefault("--postgres"), concurrency, hold, deadline);
    }
}
