using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Tests.Sweep;

public sealed class SpreadTests
{
    [Fact]
    public void AnOddCountHasTheMiddleValueAsItsMedian()
    {
        Assert.Equal(new Spread(Median: 3, Min: 1, Max: 50, Count: 5), Spread.Of([50, 1, 3, 2, 7]));
    }

    [Fact]
    public void AnEvenCountHasTheMeanOfTheTwoMiddleValuesAsItsMedian()
    {
        Assert.Equal(new Spread(Median: 3, Min: 1, Max: 10, Count: 4), Spread.Of([10, 1, 4, 2]));
        Assert.Equal(new Spread(Median: 999.5, Min: 999, Max: 1_000, Count: 2), Spread.Of([1_000, 999]));
    }

    [Fact]
    public void OneValueIsItsOwnMedianAndRange()
    {
        Assert.Equal(new Spread(Median: 42.5, Min: 42.5, Max: 42.5, Count: 1), Spread.Of([42.5]));
    }

    [Fact]
    public void NothingHasNoMedian()
    {
        Assert.Throws<ArgumentException>(() => Spread.Of([]));
    }

    [Fact]
    public void OnlyMeasuredValuesCount()
    {
        Assert.Equal(new Spread(Median: 3, Min: 2, Max: 4, Count: 2), Spread.OfMeasured([null, 4, null, 2]));
        Assert.Null(Spread.OfMeasured([null, null]));
        Assert.Null(Spread.OfMeasured([]));
    }
}
