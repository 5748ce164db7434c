using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Tests.Sweep;

public sealed class SweepModeTests
{
    [Theory]
    [InlineData("push:1s", true, 1_000, "push:1s")]
    [InlineData("poll:10s", false, 10_000, "poll:10s")]
    [InlineData("push:500ms", true, 500, "push:500ms")]
    [InlineData("poll:100ms", false, 100, "poll:100ms")]
    [InlineData("push:1.5s", true, 1_500, "push:1500ms")]
    [InlineData("push:2m", true, 120_000, "push:120s")]
    [InlineData("poll:5", false, 5_000, "poll:5s")]
    public void TheTextFormReadsAsModeAndInterval(string text, bool push, int milliseconds, string name)
    {
        Assert.True(SweepMode.TryParse(text, out var mode));

        Assert.Equal(new SweepMode(push, TimeSpan.FromMilliseconds(milliseconds)), mode);
        Assert.Equal(name, mode!.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("push")]
    [InlineData("push:")]
    [InlineData(":1s")]
    [InlineData("pull:1s")]
    [InlineData("PUSH:1s")]
    [InlineData("push:soon")]
    [InlineData("push:1s:2")]
    [InlineData("push:-1s")]
    [InlineData("push:99ms")]
    [InlineData("poll:0s")]
    public void AnythingElseIsRefused(string text)
    {
        Assert.False(SweepMode.TryParse(text, out var mode));
        Assert.Null(mode);
    }

    [Fact]
    public void TheProductRunsOneChangePollerAtItsInterval()
    {
        var mode = Mode("push:500ms");

        Assert.Equal("product: one change poller, every 500ms", mode.Description);
        Assert.Equal(new Dictionary<string, string>
        {
            ["OrderNotifications__Delivery"] = "ChangePoller",
            ["OrderNotifications__PollInterval"] = "00:00:00.5000000",
            ["OrderNotifications__Listen"] = "false",
        }, mode.Environment);
    }

    [Fact]
    public void TheBaselineMakesEveryDashboardPollAtItsInterval()
    {
        var mode = Mode("poll:10s");

        Assert.Equal("baseline: each dashboard polls every 10s", mode.Description);
        Assert.Equal(new Dictionary<string, string>
        {
            ["OrderNotifications__Delivery"] = "DashboardPolling",
            ["OrderNotifications__DashboardPollInterval"] = "00:00:10",
            ["OrderNotifications__Listen"] = "false",
        }, mode.Environment);
    }

    [Fact]
    public void NotifyModesListenForPostgreSqlsNotifications()
    {
        var mode = Mode("push:1s+notify");

        Assert.Equal(new SweepMode(true, TimeSpan.FromSeconds(1), Notify: true), mode);
        Assert.Equal("push:1s+notify", mode.Name);
        Assert.Equal("product: one change poller, every 1s, woken by NOTIFY", mode.Description);
        Assert.Equal("true", mode.Environment["OrderNotifications__Listen"]);
        Assert.Equal("ChangePoller", mode.Environment["OrderNotifications__Delivery"]);
    }

    [Theory]
    [InlineData("poll:10s+notify")]
    [InlineData("push:1s+NOTIFY")]
    [InlineData("push+notify")]
    [InlineData("push:1s+notify+notify")]
    public void NotifyIsForTheProductOnly(string text) => Assert.False(SweepMode.TryParse(text, out _));

    private static SweepMode Mode(string text) =>
        SweepMode.TryParse(text, out var mode) ? mode! : throw new ArgumentException($"not a mode: {text}", nameof(text));
}
