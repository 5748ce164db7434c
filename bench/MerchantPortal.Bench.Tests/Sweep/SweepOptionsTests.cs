using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Tests.Sweep;

public sealed class SweepOptionsTests
{
    [Fact]
    public void WithoutArgumentsEveryOptionHasItsDefault()
    {
        var options = SweepOptions.Parse([], out var error);

        Assert.NotNull(options);
        Assert.Equal("", error);
        Assert.Equal([1000, 5000, 10000], options.Sizes);
        Assert.Equal(1000, options.Merchants);
        Assert.Equal(["push:1s", "poll:10s", "poll:1s"], options.Modes.Select(m => m.Name));
        Assert.Equal(TimeSpan.FromSeconds(30), options.Idle);
        Assert.Equal([10], options.WriteRates);
        Assert.Equal([SweepDatabase.Sqlite], options.Databases);
        Assert.Equal(TimeSpan.FromSeconds(60), options.WriteFor);
        Assert.Equal(Path.Combine("bench", "results"), options.Output);
        Assert.Equal(50, options.Concurrency);
        Assert.Equal(1, options.Repeats);
    }

    [Fact]
    public void EveryOptionIsRead()
    {
        var options = SweepOptions.Parse(
            ["--repeats", "3", "--sizes", "10,20", "--merchants", "5", "--modes", "push:500ms,poll:2s", "--idle", "2m",
             "--write-rate", "7", "--write-for", "1500ms", "--concurrency", "9", "--out", "/tmp/sweep out"], out var error);

        Assert.NotNull(options);
        Assert.Equal("", error);
        Assert.Equal([10, 20], options.Sizes);
        Assert.Equal(5, options.Merchants);
        Assert.Equal([new SweepMode(true, TimeSpan.FromMilliseconds(500)), new SweepMode(false, TimeSpan.FromSeconds(2))], options.Modes);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Idle);
        Assert.Equal([7], options.WriteRates);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.WriteFor);
        Assert.Equal(9, options.Concurrency);
        Assert.Equal("/tmp/sweep out", options.Output);
        Assert.Equal(3, options.Repeats);
    }

    [Fact]
    public void DatabasesWriteRatesAndNotifyModesAreRead()
    {
        var options = SweepOptions.Parse(
            ["--databases", "sqlite,postgres", "--modes", "push:1s,push:1s+notify,poll:10s", "--write-rates", "10,500"], out var error);

        Assert.NotNull(options);
        Assert.Equal("", error);
        Assert.Equal([SweepDatabase.Sqlite, SweepDatabase.Postgres], options.Databases);
        Assert.Equal(["push:1s", "push:1s+notify", "poll:10s"], options.Modes.Select(m => m.Name));
        Assert.Equal([10, 500], options.WriteRates);
    }

    [Theory]
    [InlineData("--repeats must be a positive whole number, not '0'", "--repeats", "0")]
    [InlineData("--repeats must be a positive whole number, not '-2'", "--repeats", "-2")]
    [InlineData("--repeats must be a positive whole number, not '1.5'", "--repeats", "1.5")]
    [InlineData("--repeats must be a positive whole number, not 'three'", "--repeats", "three")]
    [InlineData("--repeats needs a value", "--repeats")]
    [InlineData("--repeats needs a value", "--repeats", "--sizes", "1000")]
    [InlineData("--repeats given twice", "--repeats", "2", "--repeats", "3")]
    [InlineData("--sizes must be positive whole numbers separated by commas, not ''", "--sizes", "1000,,5000")]
    [InlineData("--sizes must be positive whole numbers separated by commas, not '0'", "--sizes", "0")]
    [InlineData("--modes takes push:<interval>, push:<interval>+notify or poll:<interval> (at least 100ms), not 'fetch:1s'", "--modes", "push:1s,fetch:1s")]
    [InlineData("--modes takes push:<interval>, push:<interval>+notify or poll:<interval> (at least 100ms), not 'poll:10s+notify'", "--databases", "postgres", "--modes", "poll:10s+notify")]
    [InlineData("+notify modes need PostgreSQL (its NOTIFY wakes the change poller; SQLite has none): add --databases postgres", "--modes", "push:1s+notify")]
    [InlineData("--databases takes sqlite and/or postgres, each once, not 'mysql'", "--databases", "sqlite,mysql")]
    [InlineData("--databases takes sqlite and/or postgres, each once, not 'postgres'", "--databases", "postgres,postgres")]
    [InlineData("--write-rate and --write-rates exclude each other: --write-rate 10 is --write-rates 10", "--write-rate", "10", "--write-rates", "10,500")]
    [InlineData("--write-rates must be positive whole numbers separated by commas, not '0'", "--write-rates", "10,0")]
    [InlineData("--merchants must be a positive whole number, not '0'", "--merchants", "0")]
    [InlineData("--merchants must be at most 100000", "--merchants", "100001")]
    [InlineData("--write-rate must be positive whole numbers separated by commas, not 'fast'", "--write-rate", "fast")]
    [InlineData("--concurrency must be a positive whole number, not '0'", "--concurrency", "0")]
    [InlineData("--idle must be a duration like 30s or 2m, not '0s'", "--idle", "0s")]
    [InlineData("--write-for must be a duration like 30s or 2m, not 'soon'", "--write-for", "soon")]
    [InlineData("unknown argument '--repeat'", "--repeat", "3")]
    public void BadArgumentsAreRefusedWithAReason(string expected, params string[] args)
    {
        Assert.Null(SweepOptions.Parse(args, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TheUsageNamesEveryOption()
    {
        foreach (var name in new[] { "--sizes", "--merchants", "--databases", "--modes", "--idle", "--write-rates", "--write-for", "--concurrency", "--repeats", "--out" })
        {
            Assert.Contains($"[{name} ", SweepOptions.Usage, StringComparison.Ordinal);
        }
    }
}
