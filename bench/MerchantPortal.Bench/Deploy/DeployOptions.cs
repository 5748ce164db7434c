using MerchantPortal.Bench.Probe;
using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Deploy;

/// <summary>The deploy command's arguments.</summary>
public sealed record DeployOptions(int Circuits, IReadOnlyList<string> Merchants, int BenchMerchants, string? Postgres, int Concurrency, TimeSpan Hold, TimeSpan Deadline)
{
    public const string Usage =
        "usage: MerchantPortal.Bench deploy --circuits <N> [--bench-merchants <M, default N/10 up to 1000> | --merchants a@x,b@y] [--postgres <server connection string>] " +
        "[--concurrency 50] [--hold 10s] [--deadline 10m]";

    public static DeployOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is not ("--circuits" or "--bench-merchants" or "--merchants" or "--postgres" or "--concurrency" or "--hold" or "--deadline"))
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
            || !ProbeOptions.TryPositive(values, "--bench-merchants", 0, ref error, out var bench)
            || !ProbeOptions.TryPositive(values, "--concurrency", 50, ref error, out var concurrency))
        {
            return null;
        }

        if (!Duration(values, "--hold", TimeSpan.FromSeconds(10), out var hold, ref error) || !Duration(values, "--deadline", TimeSpan.FromMinutes(10), out var deadline, ref error))
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

    internal static bool Duration(Dictionary<string, string> values, string name, TimeSpan fallback, out TimeSpan value, ref string error)
    {
        value = fallback;
        if (values.TryGetValue(name, out var text) && !ProbeOptions.TryParseDuration(text, out value))
        {
            error = $"{name} must be a duration like 20s, 2m or 500ms, not '{text}'";
            return false;
        }

        return true;
    }
}
