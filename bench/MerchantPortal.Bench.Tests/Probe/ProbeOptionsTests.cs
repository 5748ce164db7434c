using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

public sealed class ProbeOptionsTests
{
    [Fact]
    public void DefaultsFillEverythingButUrlAndCircuits()
    {
        var options = ProbeOptions.Parse(["--url", "http://127.0.0.1:5300", "--circuits", "1000"], out var error);

        Assert.NotNull(options);
        Assert.Equal("", error);
        Assert.Equal(new Uri("http://127.0.0.1:5300/"), options.Url);
        Assert.Equal(1000, options.Circuits);
        Assert.Null(options.AppPid);
        Assert.Equal(["merchant1@demo.local"], options.Merchants);
        Assert.Equal("Demo!2345", options.Password);
        Assert.Equal(50, options.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Hold);
        Assert.Equal(TimeSpan.FromSeconds(30), options.FirstRenderDeadline);
        Assert.False(options.Anonymous);
        Assert.Equal("", options.PagePath);
    }

    [Fact]
    public void EveryOptionIsRead()
    {
        var options = ProbeOptions.Parse(
            ["--url", "http://host:1/base", "--circuits", "3", "--app-pid", "42", "--merchants", "a@x, b@y,a@x",
             "--password", "pw", "--concurrency", "7", "--hold", "2m", "--deadline", "500ms"], out _);

        Assert.NotNull(options);
        Assert.Equal(new Uri("http://host:1/base/"), options.Url);
        Assert.Equal(42, options.AppPid);
        Assert.Equal(["a@x", "b@y"], options.Merchants);
        Assert.Equal("pw", options.Password);
        Assert.Equal(7, options.Concurrency);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Hold);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.FirstRenderDeadline);
    }

    [Fact]
    public void AnonymousIsAFlagThatSignsNobodyIn()
    {
        var options = ProbeOptions.Parse(["--url", "http://h:1", "--anonymous", "--circuits", "5"], out var error);

        Assert.NotNull(options);
        Assert.Equal("", error);
        Assert.True(options.Anonymous);
        Assert.Empty(options.Merchants);
        Assert.Equal(5, options.Circuits);
    }

    [Fact]
    public void AnonymousMayComeLast()
    {
        var options = ProbeOptions.Parse(["--url", "http://h:1", "--circuits", "5", "--anonymous"], out _);

        Assert.NotNull(options);
        Assert.True(options.Anonymous);
    }

    [Theory]
    [InlineData("/", "")]
    [InlineData("/orders", "orders")]
    [InlineData("/orders/7?tab=items", "orders/7?tab=items")]
    public void PathIsKeptRelativeSoItResolvesUnderTheUrl(string path, string expected)
    {
        var options = ProbeOptions.Parse(["--url", "http://host:1/base", "--circuits", "1", "--path", path], out _);

        Assert.NotNull(options);
        Assert.Equal(expected, options.PagePath);
        Assert.Equal(new Uri("http://host:1/base" + path), new Uri(options.Url, options.PagePath));
    }

    [Theory]
    [InlineData("--circuits is required", "--url", "http://h:1")]
    [InlineData("--url must be", "--circuits", "5")]
    [InlineData("--url must be", "--url", "ftp://h", "--circuits", "5")]
    [InlineData("--circuits must be a positive", "--url", "http://h:1", "--circuits", "0")]
    [InlineData("--concurrency must be a positive", "--url", "http://h:1", "--circuits", "5", "--concurrency", "-1")]
    [InlineData("--hold must be a duration", "--url", "http://h:1", "--circuits", "5", "--hold", "soon")]
    [InlineData("unknown argument '--circuit'", "--url", "http://h:1", "--circuit", "5")]
    [InlineData("--circuits needs a value", "--url", "http://h:1", "--circuits")]
    [InlineData("--url given twice", "--url", "http://h:1", "--url", "http://h:2", "--circuits", "5")]
    [InlineData("--merchants needs at least one", "--url", "http://h:1", "--circuits", "5", "--merchants", ",")]
    [InlineData("--anonymous given twice", "--url", "http://h:1", "--circuits", "5", "--anonymous", "--anonymous")]
    [InlineData("--anonymous and --merchants exclude each other", "--url", "http://h:1", "--circuits", "5", "--anonymous", "--merchants", "a@x")]
    [InlineData("--anonymous and --bench-merchants exclude each other", "--url", "http://h:1", "--circuits", "5", "--bench-merchants", "3", "--anonymous")]
    [InlineData("--anonymous and --password exclude each other", "--url", "http://h:1", "--circuits", "5", "--anonymous", "--password", "pw")]
    [InlineData("--anonymous and --write-rate exclude each other", "--url", "http://h:1", "--circuits", "5", "--anonymous", "--write-rate", "10")]
    [InlineData("--path needs a value", "--url", "http://h:1", "--circuits", "5", "--path")]
    [InlineData("--path must be a path on the app starting with '/'", "--url", "http://h:1", "--circuits", "5", "--path", "orders")]
    [InlineData("--path must be a path on the app starting with '/'", "--url", "http://h:1", "--circuits", "5", "--path", "//other.host/")]
    [InlineData("--path must be a path on the app starting with '/'", "--url", "http://h:1", "--circuits", "5", "--path", "http://other.host/")]
    public void BadArgumentsAreRefusedWithAReason(string expected, params string[] args)
    {
        Assert.Null(ProbeOptions.Parse(args, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }
}
