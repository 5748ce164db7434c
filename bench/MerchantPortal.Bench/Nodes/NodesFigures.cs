using System.Globalization;
using System.Text;
using MerchantPortal.Bench.Reconnect;

namespace MerchantPortal.Bench.Nodes;

/// <summary>One layout's run (two nodes behind nginx, or one node directly): opened, idle window, write window.</summary>
public sealed class LayoutFigures
{
    public required string Layout { get; init; }

    public required int Requested { get; init; }

    public required int Opened { get; init; }

    public required IReadOnlyList<(string Reason, int Count)> Failures { get; init; }

    /// <summary>Dashboards per node, by the X-Portal-Node of their page load.</summary>
    public required IReadOnlyDictionary<string, int> DashboardsByNode { get; init; }

    public required Window Idle { get; init; }

    public required Window Write { get; init; }

    public required int OrdersWritten { get; init; }

    public required int Expected { get; init; }

    public required int Missing { get; init; }

    /// <summary>Commit to render, ascending, milliseconds.</summary>
    public required IReadOnlyList<double> LatenciesMs { get; init; }

    /// <summary>Dashboards whose circuit closed during the windows.</summary>
    public required int Dropped { get; init; }

    public int FailureCount => Requested - Opened + Missing + Dropped;

    public string Format()
    {
        var i = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(i, $"{Layout}: {Opened} of {Requested} dashboards live ({string.Join(", ", DashboardsByNode.OrderBy(n => n.Key).Select(n => $"{n.Key} {n.Value}"))}); {Dropped} dropped");
        foreach (var (reason, count) in Failures)
        {
            s.AppendLine(i, $"    failed {count} x {reason}");
        }

        s.AppendLine(i, $"  idle {Idle.Seconds:F0} s: {Idle.Describe()}");
        s.AppendLine(i, $"  write {OrdersWritten} orders in {Write.Seconds:F0} s: {Write.Describe()}");
        s.AppendLine(i, $"  write-to-screen: {LatenciesMs.Count} deliveries, {Missing} missing of {Expected}; p50 {FleetSessions.Quantile(LatenciesMs, 0.5):F0} ms, p99 {FleetSessions.Quantile(LatenciesMs, 0.99):F0} ms, max {(LatenciesMs.Count > 0 ? LatenciesMs[^1] : double.NaN):F0} ms");
        return s.ToString();
    }

    /// <summary>A measured window: database commands per second per node and CPU % (100 = one core) per process group.</summary>
    public sealed record Window(double Seconds, IReadOnlyDictionary<string, double?> CommandsPerSecond, IReadOnlyDictionary<string, double> CpuPercent)
    {
        public double? TotalCommandsPerSecond => CommandsPerSecond.Values.Sum();

        public string Describe()
        {
            var i = CultureInfo.InvariantCulture;
            var commands = string.Join(", ", CommandsPerSecond.Select(c => string.Create(i, $"{c.Key} {c.Value:F2}")));
            var cpu = string.Join(", ", CpuPercent.Select(c => string.Create(i, $"{c.Key} {c.Value:F0} %")));
            return string.Create(i, $"queries/s total {TotalCommandsPerSecond:F2} ({commands}); CPU {cpu}");
        }
    }
}
