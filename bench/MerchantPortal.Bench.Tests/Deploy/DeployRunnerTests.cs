using MerchantPortal.Bench.Deploy;
using MerchantPortal.Bench.Reconnect;

namespace MerchantPortal.Bench.Tests.Deploy;

/// <summary>The deploy command's short real form: the real app restarted (SIGTERM, new process) under 50 reconnecting dashboards.</summary>
public sealed class DeployRunnerTests
{
    [Fact]
    public async Task EveryDashboardComesBackLiveAfterTheAppIsRestartedUnderIt()
    {
        var options = DeployOptions.Parse(["--circuits", "50", "--hold", "1s", "--deadline", "45s"], out var error)
            ?? throw new InvalidOperationException(error);
        var log = new StringWriter();

        var figures = await new DeployRunner(options, log).RunAsync();

        var report = figures.Format() + log;
        Assert.True(figures.SigtermToAllLive is not null, report);
        // A clean stop: before the fix the old process could wait out the 30 s shutdown timeout for
        // connections that reconnected while it stopped, then abort (134) from a cancelled stop.
        Assert.True(figures.OldExitCode == 0 && figures.SigtermToExit < TimeSpan.FromSeconds(10), report);
        Assert.Equal(0, figures.FailureCount);
        Assert.Equal(50, figures.Opened);
        // Every dashboard lost its connection once and came back once; the new process knows none of the
        // old circuits, so each came back by a reload into a new circuit, not by ConnectCircuit.
        Assert.Equal(50, figures.Drops);
        Assert.Equal(50, figures.Outages.Count);
        Assert.True(figures.Reloads >= 50, report);
        Assert.True(figures.Attempts >= 50, report);
        Assert.True(figures.StartsPerSecond.Sum() >= 50, report);
        // Outages are sane: none shorter than the old process took to go and the new one to serve
        // less what the first attempt's wait can hide, none longer than the whole storm.
        Assert.All(figures.Outages, o => Assert.InRange(o, 1, figures.SigtermToAllLive!.Value.TotalMilliseconds));
        Assert.True(figures.SigtermToServing < figures.SigtermToAllLive, report);
        Assert.True(figures.AppCommands > 0, report);
    }

    [Theory]
    [InlineData(0, 0.0, 200)]
    [InlineData(0, 1.0, 1000)]
    [InlineData(3, 0.5, 4800)]
    [InlineData(5, 0.0, 6000)]
    [InlineData(40, 1.0, 30000)]
    public void TheBackoffIsReconnectJsDelayFor(int attempt, double unit, double milliseconds) =>
        Assert.Equal(milliseconds, ReconnectPolicy.DelayFor(attempt, unit).TotalMilliseconds);
}
