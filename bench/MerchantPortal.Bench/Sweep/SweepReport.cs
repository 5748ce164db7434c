using System.Globalization;
using System.Text;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// The sweep's results as Markdown tables (pasted into BENCHMARKS.md) and SVG charts: one line or point
/// per (dashboards, mode), the median of its runs with their range (see <see cref="Spread"/>).
/// </summary>
public static class SweepReport
{
    public static string Markdown(IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cells = SweepCell.Group(rows);
        var text = new StringBuilder();
        text.Append(cells.All(c => c.Runs == 1)
            ? "One run per row.\n\n"
            : "Each figure is the median of the row's runs (of an even number, the mean of the middle two), with the range min–max in brackets where the runs differ at the precision shown.\n\n");
        foreach (var rate in cells.Select(c => c.WriteRate).Distinct())
        {
            text.Append(CultureInfo.InvariantCulture, $"Writing {rate:N0} orders/s (idle figures are the same runs' idle window before writing):\n\n");
            text.Append("| database | mode | dashboards | runs | held / failed / dropped | start-up /s | heap KiB/circuit | RSS KiB/circuit | queries/s idle | queries/s writing | of which change poller | CPU % idle | CPU % writing | orders/s achieved | orders / deliveries (missing) | p50 ms | p95 ms | p99 ms | max ms |\n");
            text.Append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            foreach (var c in cells.Where(c => c.WriteRate == rate))
            {
                text.Append(CultureInfo.InvariantCulture, $"| {c.Database} | {c.Mode} | {c.Circuits:N0} | {RunCount(c)} | {Count(c.Held)} / {Count(c.Failed)} / {Count(c.Dropped)} | {Figure(c.StartupPerSecond, 0)} ");
                text.Append(CultureInfo.InvariantCulture, $"| {Figure(c.HeapPerCircuitKiB, 0)} | {Figure(c.RssPerCircuitKiB, 0)} | {Figure(c.IdleQueriesPerSecond, 2)} | {Figure(c.WriteQueriesPerSecond, 2)} | {Figure(c.WritePollerQueriesPerSecond, 2)} ");
                text.Append(CultureInfo.InvariantCulture, $"| {Figure(c.IdleCpuPercent, 0)} | {Figure(c.WriteCpuPercent, 0)} | {Achieved(c)} | {Count(c.OrdersWritten)} / {Count(c.Deliveries)} ({Count(c.Missing)}) ");
                text.Append(CultureInfo.InvariantCulture, $"| {Figure(c.P50Ms, 0)} | {Figure(c.P95Ms, 0)} | {Figure(c.P99Ms, 0)} | {Figure(c.MaxMs, 0)} |\n");
            }

            text.Append('\n');
        }

        AppendRatios(text, cells);
        AppendHarness(text, cells);
        return text.ToString();
    }

    /// <summary>
    /// The load client's own process per cell, when measured: it shares the cores with the app, so a
    /// change to the client shows here before it distorts the app's figures.
    /// </summary>
    private static void AppendHarness(StringBuilder text, IReadOnlyList<SweepCell> cells)
    {
        var measured = cells.Where(c => c.HarnessIdleCpuPercent is not null || c.HarnessHeapPerCircuitKiB is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }

        text.Append("\nThe harness's own process (load client and order writer):\n\n");
        text.Append("| database | mode | dashboards | orders/s | runs | heap KiB/circuit | RSS KiB/circuit | CPU ms/circuit opened | CPU % idle | CPU % writing |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var c in measured)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {c.Database} | {c.Mode} | {c.Circuits:N0} | {c.WriteRate:N0} | {RunCount(c)} | {Figure(c.HarnessHeapPerCircuitKiB, 1)} | {Figure(c.HarnessRssPerCircuitKiB, 1)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {Figure(c.HarnessStartupCpuMsPerCircuit, 2)} | {Figure(c.HarnessIdleCpuPercent, 1)} | {Figure(c.HarnessWriteCpuPercent, 1)} |\n");
        }
    }

    /// <summary>Idle queries per second against dashboards, one line per (database, mode), logarithmic.</summary>
    public static string QueriesChart(IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        // Every write rate's row carries the same idle window: one rate's rows draw it once.
        var rate = rows.Min(r => r.WriteRate);
        return SweepChart.Render("Database queries per second while idle", "open dashboards", "queries / s (log scale)",
            Series([.. rows.Where(r => r.WriteRate == rate)], c => c.IdleQueriesPerSecond));
    }

    /// <summary>p99 write-to-screen latency against dashboards at the lowest write rate, one line per (database, mode).</summary>
    public static string LatencyChart(IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var rate = rows.Min(r => r.WriteRate);
        return SweepChart.Render(Invariant($"p99 write-to-screen latency at {rate:N0} orders/s"), "open dashboards", "p99 latency (ms, log scale)",
            Series([.. rows.Where(r => r.WriteRate == rate)], c => c.P99Ms));
    }

    /// <summary>p99 write-to-screen latency against the asked write rate, one line per (database, mode, dashboards).</summary>
    public static string LatencyByWriteRateChart(IReadOnlyList<SweepRow> rows) =>
        SweepChart.Render("p99 write-to-screen latency by write rate", "orders written per second", "p99 latency (ms, log scale)",
            [.. SweepCell.Group(rows).GroupBy(c => Invariant($"{c.Database} · {c.Description} · {c.Circuits:N0} dashboards"))
                .Select(g => new ChartSeries(g.Key, [.. g
                    .Where(c => c.P99Ms is { Median: > 0 })
                    .OrderBy(c => c.WriteRate)
                    .Select(c => Point(c.WriteRate, c.P99Ms!.Value))]))
                .Where(s => s.Points.Count > 0)]);

    /// <summary>Each baseline against the first product mode at the same database, size and write rate, from the medians.</summary>
    private static void AppendRatios(StringBuilder text, IReadOnlyList<SweepCell> cells)
    {
        var push = cells.Where(c => IsProduct(c.Mode)).ToList();
        var ratios = cells.Where(c => !IsProduct(c.Mode))
            .Select(c => (Baseline: c, Product: push.FirstOrDefault(p => p.Circuits == c.Circuits && p.Database == c.Database && p.WriteRate == c.WriteRate)))
            .Where(x => x.Product is not null)
            .ToList();
        if (ratios.Count == 0)
        {
            return;
        }

        text.Append("\nBaseline ÷ product at the same number of dashboards (medians):\n\n");
        text.Append("| database | baseline | product | dashboards | orders/s | queries/s idle | queries/s writing | CPU idle | CPU writing | p99 latency |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var (b, p) in ratios)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {b.Database} | {b.Mode} | {p!.Mode} | {b.Circuits:N0} | {b.WriteRate:N0} | {Ratio(b.IdleQueriesPerSecond, p.IdleQueriesPerSecond)} | {Ratio(b.WriteQueriesPerSecond, p.WriteQueriesPerSecond)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {Ratio(b.IdleCpuPercent, p.IdleCpuPercent)} | {Ratio(b.WriteCpuPercent, p.WriteCpuPercent)} | {Ratio(b.P99Ms, p.P99Ms)} |\n");
        }
    }

    /// <summary>
    /// One line per (database, mode) through the medians; a range bar at every point measured more than once.
    /// Rows of one database only keep the mode's description alone as the name, as before databases were a dimension.
    /// </summary>
    private static List<ChartSeries> Series(IReadOnlyList<SweepRow> rows, Func<SweepCell, Spread?> figure) =>
        [.. SweepCell.Group(rows).GroupBy(c => rows.Select(r => r.Database).Distinct().Count() > 1 ? $"{c.Database} · {c.Description}" : c.Description)
            .Select(g => new ChartSeries(g.Key, [.. g
                .Where(c => figure(c) is { Median: > 0 })
                .OrderBy(c => c.Circuits)
                .Select(c => Point(c.Circuits, figure(c)!.Value))]))
            .Where(s => s.Points.Count > 0)];

    private static ChartPoint Point(int circuits, Spread spread) =>
        spread.Count > 1
            ? new ChartPoint(circuits, spread.Median, spread.Min, spread.Max)
            : new ChartPoint(circuits, spread.Median);

    /// <summary>The writer's achieved rate, flagged when it fell more than 5 % short of the asked one.</summary>
    private static string Achieved(SweepCell cell) =>
        cell.AchievedRate is { Median: var achieved } && achieved < 0.95 * cell.WriteRate
            ? Figure(cell.AchievedRate, 0) + " (short)"
            : Figure(cell.AchievedRate, 0);

    private static string RunCount(SweepCell cell) => cell.Runs == 1 ? "1 run" : Invariant($"{cell.Runs} runs");

    private static bool IsProduct(string mode) => mode.StartsWith("push", StringComparison.Ordinal);

    private static string Ratio(Spread? baseline, Spread? product) =>
        baseline is { Median: var b } && product is { Median: var p } && p > 0 ? Invariant($"{b / p:N1}×") : "n/a";

    /// <summary>"412", or "412 (398–430)" when the runs differ at the precision shown; "n/a" when not measured.</summary>
    private static string Figure(Spread? spread, int decimals) =>
        Format(spread, "N" + decimals.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whole numbers as such; the median of an even count can end in .5.</summary>
    private static string Count(Spread spread) => Format(spread, "#,##0.#");

    private static string Format(Spread? spread, string format)
    {
        if (spread is not { } s)
        {
            return "n/a";
        }

        string F(double value) => value.ToString(format, CultureInfo.InvariantCulture);
        return F(s.Min) == F(s.Max) ? F(s.Median) : $"{F(s.Median)} ({F(s.Min)}–{F(s.Max)})";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
