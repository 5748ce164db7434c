namespace MerchantPortal.Bench.Sweep;

/// <summary>One line of a chart: its legend name and its points (x is a sweep step, e.g. open dashboards).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);
