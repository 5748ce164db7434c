using MerchantPortal.Bench.Nodes;

namespace MerchantPortal.Bench.Tests.Nodes;

/// <summary>The nodes command's short real form: two nodes on PostgreSQL behind nginx, then one node, 100 dashboards each.</summary>
public sealed class NodesRunnerTests
{
    [Fact]
    public async Task DashboardsThroughNginxUseBothNodesAndEveryOrderArrives()
    {
        var server = Environment.GetEnvironmentVariable("MERCHANTPORTAL_TEST_POSTGRES")
            ?? throw new InvalidOperationException("MERCHANTPORTAL_TEST_POSTGRES is not set: run the suite with `bash .ci/test`, which starts PostgreSQL.");
        var options = NodesOptions.Parse(["--circuits", "100", "--bench-merchants", "10", "--postgres", server,
            "--settle", "1s", "--idle", "2s", "--write-for", "3s"], out var error) ?? throw new InvalidOperationException(error);
        var log = new StringWriter();

        var layouts = await new NodesRunner(options, log).RunAsync();

        var report = string.Concat(layouts.Select(l => l.Format())) + log;
        Assert.Equal(2, layouts.Count);
        foreach (var layout in layouts)
        {
            Assert.True(layout.FailureCount == 0, report);
            Assert.Equal(100, layout.Opened);
            Assert.True(layout.OrdersWritten > 0 && layout.Expected > 0, report);
            Assert.Equal(layout.Expected, layout.LatenciesMs.Count);
            Assert.True(layout.Idle.TotalCommandsPerSecond > 0, report);
        }

        // Through nginx both nodes serve dashboards; directly, node A serves them all.
        var behindNginx = layouts[0].DashboardsByNode;
        Assert.True(behindNginx.GetValueOrDefault("node-a") > 0 && behindNginx.GetValueOrDefault("node-b") > 0, report);
        Assert.Equal(100, layouts[1].DashboardsByNode.GetValueOrDefault("node-a"));
    }
}
