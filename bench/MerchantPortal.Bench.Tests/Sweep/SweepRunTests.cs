using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Tests.Sweep;

public sealed class SweepRunTests
{
    [Fact]
    public void RepeatOneOfEveryCellRunsBeforeRepeatTwoOfAny()
    {
        var runs = SweepRun.Plan(Options("--sizes", "1000,5000", "--modes", "push:1s,poll:10s", "--repeats", "3"));

        Assert.Equal(12, runs.Count);
        Assert.Equal(Enumerable.Range(1, 12), runs.Select(r => r.Number));
        Assert.All(runs, r => Assert.Equal((12, 3), (r.Total, r.Repeats)));
        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], runs.Select(r => r.Repeat));
        // Every repeat visits the cells in the same order: sizes as given, each with every mode.
        string[] cells = ["1000 push:1s", "1000 poll:10s", "5000 push:1s", "5000 poll:10s"];
        Assert.Equal([.. cells, .. cells, .. cells], runs.Select(r => $"{r.Size} {r.Mode.Name}"));
    }

    [Fact]
    public void TheLabelSaysWhichRunAndWhichRepeat()
    {
        var runs = SweepRun.Plan(Options("--sizes", "1000,5000,10000", "--modes", "push:1s,poll:10s", "--repeats", "2"));

        Assert.Equal("[run 3/12] size 5000 sqlite push:1s repeat 1/2", runs[2].Label);
        Assert.Equal("[run 12/12] size 10000 sqlite poll:10s repeat 2/2", runs[^1].Label);
    }

    [Fact]
    public void OneRepeatIsOneRunPerCellInTheOrderGiven()
    {
        var runs = SweepRun.Plan(Options("--sizes", "5000,1000", "--modes", "poll:1s,push:1s"));

        Assert.Equal(["5000 poll:1s", "5000 push:1s", "1000 poll:1s", "1000 push:1s"], runs.Select(r => $"{r.Size} {r.Mode.Name}"));
        Assert.All(runs, r => Assert.EndsWith(" repeat 1/1", r.Label, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryDatabaseRunsEveryModeExceptNotifyOnSqlite()
    {
        var runs = SweepRun.Plan(Options("--sizes", "100,1000", "--databases", "sqlite,postgres", "--modes", "push:1s,push:1s+notify,poll:10s", "--repeats", "2"));

        // Per size: sqlite push:1s and poll:10s, postgres all three; two sizes, two repeats.
        Assert.Equal(20, runs.Count);
        string[] cells =
        [
            "100 sqlite push:1s", "100 sqlite poll:10s", "100 postgres push:1s", "100 postgres push:1s+notify", "100 postgres poll:10s",
            "1000 sqlite push:1s", "1000 sqlite poll:10s", "1000 postgres push:1s", "1000 postgres push:1s+notify", "1000 postgres poll:10s",
        ];
        Assert.Equal([.. cells, .. cells], runs.Select(r => $"{r.Size} {r.Database.Name()} {r.Mode.Name}"));
        Assert.Equal("[run 4/20] size 100 postgres push:1s+notify repeat 1/2", runs[3].Label);
    }

    private static SweepOptions Options(params string[] args) =>
        SweepOptions.Parse(args, out var error) ?? throw new InvalidOperationException(error);
}
