using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

public sealed class HeapTypeDiffTests
{
    private static readonly HeapTypes Before = HeapTypes.From(7, DateTimeOffset.UnixEpoch, 2_000_000, 0,
    [
        new("System.String", 1_000, 40_000),
        new("Gone", 10, 5_000),
        new("Shrinks", 100, 10_000),
        new("Same", 5, 500),
    ]);

    private static readonly HeapTypes After = HeapTypes.From(7, DateTimeOffset.UnixEpoch.AddMinutes(1), 3_000_000, 0,
    [
        new("System.String", 21_000, 1_040_000),
        new("Shrinks", 50, 5_000),
        new("Same", 5, 500),
        new("New", 2_000, 96_000),
        new("NewFewerBytes", 4_000, 96_000),
    ]);

    [Fact]
    public void ChangesAreAfterMinusBeforeLargestGrowthFirst()
    {
        var changes = HeapTypeDiff.Compute(Before, After);

        // Equal byte growth: the type with more new objects first.
        Assert.Equal(
        [
            new("System.String", 20_000, 1_000_000),
            new("NewFewerBytes", 4_000, 96_000),
            new("New", 2_000, 96_000),
            new("Same", 0, 0),
            new("Gone", -10, -5_000),
            new("Shrinks", -50, -5_000),
        ], changes);
    }

    [Fact]
    public void TheReportDividesByPerAndTotalsAllTypes()
    {
        var report = HeapTypesReport.FormatDiff("b.json", Before, "a.json", After, per: 1000, top: 2);
        var lines = report.Split('\n');

        Assert.Contains("before: b.json (pid 7, taken 1970-01-01 00:00:00Z): 1,115 objects, 55,500 bytes", report, StringComparison.Ordinal);
        Assert.Contains("top 2 of 3 types that grew", report, StringComparison.Ordinal);
        Assert.Equal("     +20,000      +1,000,000        +20.0       +1,000.0  System.String", lines[5]);
        Assert.Equal("      +4,000         +96,000         +4.0          +96.0  NewFewerBytes", lines[6]);
        // Total: 27,055 - 1,115 objects and 1,237,500 - 55,500 bytes.
        Assert.Equal("     +25,940      +1,182,000        +25.9       +1,182.0  total, all types (+1.1 MiB, +1.2 KiB for each of the 1000)", lines[7]);
        Assert.Contains("the rows above: +1,096,000 bytes = 91.9 % of the growth of all types that grew (+1,192,000); types that shrank: -10,000", report, StringComparison.Ordinal);
        Assert.DoesNotContain("  New\n", report, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", report, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutPerThereAreNoPerColumnsAndShrinkingTypesAreNotListed()
    {
        var report = HeapTypesReport.FormatDiff("b.json", Before, "a.json", After, per: null, top: 40);

        Assert.Contains("top 3 of 3 types that grew", report, StringComparison.Ordinal);
        Assert.Contains("\n     +20,000      +1,000,000  System.String\n", report, StringComparison.Ordinal);
        Assert.DoesNotContain("Shrinks", report, StringComparison.Ordinal);
        Assert.DoesNotContain("Same", report, StringComparison.Ordinal);
        Assert.DoesNotContain("/", report.Split('\n')[4], StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentProcessesAndLostEventsAreWarnedAbout()
    {
        var report = HeapTypesReport.FormatDiff("b.json", Before, "a.json", After with { Pid = 8, EventsLost = 12 }, per: null, top: 40);

        Assert.Contains("warning: the snapshots are of different processes (pid 7 and 8)", report, StringComparison.Ordinal);
        Assert.Contains("warning: 12 events lost", report, StringComparison.Ordinal);
    }
}
