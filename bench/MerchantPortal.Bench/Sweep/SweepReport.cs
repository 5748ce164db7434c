using System.Globalization;
using System.Text;

namespace MerchantPortal.Bench.Sweep;

/// <summary>The sweep's results as Markdown tables (pasted into BENCHMARKS.md) and SVG charts.</summary>
public static class SweepReport
{
    public static string Markdown(IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.Append("| mode | dashboards | held / failed / dropped | start-up /s | heap KiB/circuit | RSS KiB/circuit | queries/s idle | queries/s writing | CPU % idle | CPU % writing | deliveries (missing) | p50 ms | p95 ms | p99 ms | max ms |\n");
        text.Append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var r in rows)
        {
            text.Append(Invariant($"| {r.Mode} | {r.Circuits:N0} | {r.Held:N0} / {r.Failed} / {r.Dropped} | {r.StartupPerSecond:F0} | {F(r.HeapPerCircuitKiB, 0)} | {F(r.RssPerCircuitKiB, 0)} | {F(r.IdleQueriesPerSecond, 2)} | {F(r.WriteQueriesPerSecond, 2)} | {F(r.IdleCpuPercent, 0)} | {F(r.WriteCpuPercent, 0)} | {r.Deliveries:N0} ({r.Missing}) | {F(r.P50Ms, 0)} | {F(r.P95Ms, 0)} | {F(r.P99Ms, 0)} | {F(r.MaxMs, 0)} |\n"));
        }

        var push = rows.Where(r => r.Mode.StartsWith("push", StringComparison.Ordinal)).ToList();
        var ratios = rows.Where(r => !r.Mode.StartsWith("push", StringComparison.Ordinal))
            .Select(r => (Baseline: r, Product: push.FirstOrDefault(p => p.Circuits == r.Circuits)))
            .Where(x => x.Product is not null)
            .ToList();
        if (ratios.Count > 0)
        {
            text.Append("\nBaseline ÷ product at the same number of dashboards:\n\n");
            text.Append("| baseline | product | dashboards | queries/s idle | queries/s writing | CPU idle | CPU writing | p99 latency |\n|---|---|--:|--:|--:|--:|--:|--:|\n");
            foreach (var (b, p) in ratios)
            {
                text.Append(Invariant($"| {b.Mode} | {p!.Mode} | {b.Circuits:N0} | {Ratio(b.IdleQueriesPerSecond, p.IdleQueriesPerSecond)} | {Ratio(b.WriteQueriesPerSecond, p.WriteQueriesPerSecond)} | {Ratio(b.IdleCpuPercent, p.IdleCpuPercent)} | {Ratio(b.WriteCpuPercent, p.WriteCpuPercent)} | {Ratio(b.P99Ms, p.P99Ms)} |\n"));
            }
        }

        return text.ToString();
    }

    /// <summary>Idle queries per second against dashboards, one line per mode, logarithmic.</summary>
    public static string QueriesChart(IReadOnlyList<SweepRow> rows) =>
        SweepChart.Render("Database queries per second while idle", "open dashboards", "queries / s (log scale)",
            Series(rows, r => r.IdleQueriesPerSecond));

    /// <summary>p99 write-to-screen latency against dashboards, one line per mode.</summary>
    public static string LatencyChart(IReadOnlyList<SweepRow> rows) =>
        SweepChart.Render("p99 write-to-screen latency at 10 orders/s", "open dashboards", "p99 latency (ms, log scale)",
            Series(rows, r => r.P99Ms));

    private static List<ChartSeries> Series(IReadOnlyList<SweepRow> rows, Func<SweepRow, double?> value) =>
        [.. rows.GroupBy(r => r.Description)
            .Select(g => new ChartSeries(g.Key, [.. g.Where(r => value(r) is > 0).OrderBy(r => r.Circuits).Select(r => new ChartPoint(r.Circuits, value(r)!.Value))]))
            .Where(s => s.Points.Count > 0)];

    private static string Ratio(double? baseline, double? product) =>
        baseline is { } b && product is { } p && p > 0 ? Invariant($"{b / p:N1}×") : "n/a";

    private static string F(double? value, int decimals) =>
        value is { } v ? v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
