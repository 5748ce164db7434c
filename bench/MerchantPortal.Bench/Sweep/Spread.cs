namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// One figure over the repeated runs of a sweep cell: the median, and the range (min..max) it came from.
/// The median of an even count is the mean of the two middle values, so 1, 2, 4, 10 has median 3.
/// </summary>
public readonly record struct Spread(double Median, double Min, double Max, int Count)
{
    /// <exception cref="ArgumentException">No values: a median of nothing is undefined.</exception>
    public static Spread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A spread needs at least one value.", nameof(values));
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary>Over the runs that measured the figure; null when none did.</summary>
    public static Spread? OfMeasured(IEnumerable<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var measured = values.OfType<double>().ToList();
        return measured.Count == 0 ? null : Of(measured);
    }
}
