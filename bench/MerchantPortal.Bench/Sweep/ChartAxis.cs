namespace MerchantPortal.Bench.Sweep;

/// <summary>Maps a value to 0 (bottom of the plot) .. 1 (top), with the ticks worth labelling.</summary>
internal sealed class ChartAxis
{
    private static readonly double[] NiceSteps = [1, 2, 5, 10];

    private readonly Func<double, double> _fraction;

    private ChartAxis(Func<double, double> fraction, IReadOnlyList<double> ticks, IReadOnlyList<double> minorTicks)
    {
        _fraction = fraction;
        Ticks = ticks;
        MinorTicks = minorTicks;
    }

    public IReadOnlyList<double> Ticks { get; }

    public IReadOnlyList<double> MinorTicks { get; }

    public double Fraction(double value) => _fraction(value);

    /// <summary>Whole decades around the data: 3..2,000 spans 1 to 10,000.</summary>
    public static ChartAxis Logarithmic(double min, double max)
    {
        var low = (int)Math.Floor(Math.Log10(min) + 1e-9);
        var high = (int)Math.Ceiling(Math.Log10(max) - 1e-9);
        if (high <= low)
        {
            high = low + 1;
        }

        var ticks = Enumerable.Range(low, high - low + 1).Select(Decade).ToList();
        var minor = Enumerable.Range(low, high - low).SelectMany(d => Enumerable.Range(2, 8).Select(m => m * Decade(d))).ToList();
        return new ChartAxis(v => (Math.Log10(v) - low) / (high - low), ticks, minor);
    }

    /// <summary>Zero (or below) to a round number at or above the largest value, in 1, 2 or 5 x 10^k steps.</summary>
    public static ChartAxis Linear(double min, double max)
    {
        var bottom = Math.Min(0, min);
        var top = Math.Max(0, max);
        if (top - bottom <= 0)
        {
            top = bottom + 1;
        }

        var rough = (top - bottom) / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = NiceSteps.Select(m => m * power).First(s => s >= rough);
        var first = Math.Floor(bottom / step) * step;
        var last = Math.Ceiling(top / step) * step;
        var count = (int)Math.Round((last - first) / step);
        var ticks = Enumerable.Range(0, count + 1).Select(i => Math.Round(first + (i * step), 10)).ToList();
        return new ChartAxis(v => (v - first) / (last - first), ticks, []);
    }

    /// <summary>10^k without the drift of repeated multiplication (0.1 stays 0.1).</summary>
    private static double Decade(int exponent) =>
        exponent >= 0 ? Math.Pow(10, exponent) : 1 / Math.Pow(10, -exponent);
}
