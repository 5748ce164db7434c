using Bunit;
using MerchantPortal.Data.Nodes;
using MerchantPortal.Nodes;
using MerchantPortal.Tests.Components.Admin;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodesPage = MerchantPortal.Components.Pages.Admin.Nodes;

namespace MerchantPortal.Tests.Nodes;

/// <summary>The admin's Nodes view over real heartbeat rows.</summary>
public sealed class NodesPageTests(AdminPageDatabase fixture) : IClassFixture<AdminPageDatabase>
{
    [Fact]
    public async Task EveryNodeOnTheDatabaseIsListedAliveStoppedOrGoneWithItsCircuitsAndPollLag()
    {
        var now = DateTime.UtcNow;
        await using (var db = fixture.Database.CreateDbContext())
        {
            db.NodeHeartbeats.AddRange(
                new NodeHeartbeat { Name = "web-1", StartedAt = now.AddHours(-1), LastSeenAt = now.AddSeconds(-2), LastPolledAt = now.AddSeconds(-2), PollLagMilliseconds = 420, OpenCircuits = 17 },
                new NodeHeartbeat { Name = "web-2", StartedAt = now.AddHours(-2), LastSeenAt = now.AddMinutes(-5), LastPolledAt = now.AddMinutes(-5), PollLagMilliseconds = 300, OpenCircuits = 9 },
                new NodeHeartbeat { Name = "web-3", StartedAt = now.AddHours(-3), LastSeenAt = now.AddMinutes(-1), StoppedAt = now.AddMinutes(-1), OpenCircuits = 0 });
            await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        }

        await using var ctx = await fixture.SignInAsync();
        ctx.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        var page = ctx.Render<NodesPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=node-row]").Count));
        var rows = page.FindAll("[data-testid=node-row]").ToDictionary(r => r.GetAttribute("data-node")!);
        Assert.Equal("alive", rows["web-1"].GetAttribute("data-state"));
        Assert.Equal("17", rows["web-1"].QuerySelector("[data-testid=node-circuits]")!.TextContent);
        Assert.Equal("420 ms", rows["web-1"].QuerySelector("[data-testid=node-poll-lag]")!.TextContent);
        // Silent for 5 minutes (more than Node:GoneAfter, 30 s): its last circuit count means nothing now.
        Assert.Equal("gone", rows["web-2"].GetAttribute("data-state"));
        Assert.Equal("—", rows["web-2"].QuerySelector("[data-testid=node-circuits]")!.TextContent);
        Assert.Equal("stopped", rows["web-3"].GetAttribute("data-state"));
    }

    [Fact]
    public void TheStateFollowsTheLastHeartbeatAndACleanStop()
    {
        var now = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var goneAfter = TimeSpan.FromSeconds(30);
        NodeState StateOf(TimeSpan silent, bool stopped = false) => NodeStatus.From(
            new NodeHeartbeat { Name = "n", LastSeenAt = now - silent, StoppedAt = stopped ? now - silent : null }, now, goneAfter).State;

        Assert.Equal(NodeState.Alive, StateOf(TimeSpan.Zero));
        Assert.Equal(NodeState.Alive, StateOf(goneAfter));
        Assert.Equal(NodeState.Gone, StateOf(goneAfter + TimeSpan.FromMilliseconds(1)));
        Assert.Equal(NodeState.Stopped, StateOf(TimeSpan.FromSeconds(1), stopped: true));
        Assert.Equal(NodeState.Stopped, StateOf(TimeSpan.FromHours(1), stopped: true));
        // A writer's clock slightly ahead of the reader's is not a negative age.
        Assert.Equal(TimeSpan.Zero, NodeStatus.From(new NodeHeartbeat { Name = "n", LastSeenAt = now.AddSeconds(2) }, now, goneAfter).SinceHeartbeat);
    }
}
