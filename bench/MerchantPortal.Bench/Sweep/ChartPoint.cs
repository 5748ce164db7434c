namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// One point of a chart line: x is a sweep step (e.g. open dashboards), y the value drawn (a median
/// when runs were repeated). <paramref name="Low"/> and <paramref name="High"/>, when both given, are
/// the range of the runs behind it, drawn as a thin vertical bar with caps.
/// </summary>
public readonly record struct ChartPoint(double X, double Y, double? Low = null, double? High = null)
{
    public bool HasRange => Low is not null && High is not null;
}
