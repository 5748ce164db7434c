namespace MerchantPortal.Bench.Sweep;

public enum ChartScale
{
    /// <summary>Decades (0.1, 1, 10, ...) equally spaced; values at or below zero cannot be drawn and are left out.</summary>
    Logarithmic,

    /// <summary>From zero (or the smallest value, if negative) to a round number above the largest.</summary>
    Linear,
}
