using MerchantPortal.Data;
using MerchantPortal.Nodes;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Tests.Nodes;

/// <summary>The heartbeat row of a node on a real database of each provider.</summary>
public sealed class NodeHeartbeatTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ANodeKeepsOneRowThatEachBeatUpdatesWithItsCircuitsAndItsLastPoll(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        var circuits = new NodeCircuits();
        var heartbeat = Heartbeat(database, "node-a", circuits);

        Assert.True(await heartbeat.BeatAsync(Ct));
        var first = await RowAsync(database, "node-a");
        Assert.Null(first.LastPolledAt);
        Assert.Null(first.PollLagMilliseconds);
        Assert.Equal(0, first.OpenCircuits);
        Assert.Null(first.StoppedAt);

        circuits.Opened();
        circuits.Opened();
        await database.Services.GetRequiredService<OrderChangePoller>().TickAsync(Ct);
        Assert.True(await heartbeat.BeatAsync(Ct));

        await using var db = database.CreateDbContext();
        var second = Assert.Single(await db.NodeHeartbeats.AsNoTracking().ToListAsync(Ct));
        Assert.Equal(2, second.OpenCircuits);
        Assert.NotNull(second.LastPolledAt);
        Assert.InRange(second.PollLagMilliseconds!.Value, 0, 60_000);
        Assert.True(second.LastSeenAt >= first.LastSeenAt);
        Assert.Equal(first.StartedAt, second.StartedAt, TimeSpan.FromMilliseconds(1));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ACleanStopMarksTheNodeStoppedAndItsRestartTakesTheRowOver(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        var before = Heartbeat(database, "node-b", new NodeCircuits());
        await before.BeatAsync(Ct);
        await Heartbeat(database, "node-c", new NodeCircuits()).BeatAsync(Ct);

        await before.StopAsync(Ct);
        var stopped = await RowAsync(database, "node-b");
        Assert.NotNull(stopped.StoppedAt);
        Assert.Null((await RowAsync(database, "node-c")).StoppedAt);

        var restarted = Heartbeat(database, "node-b", new NodeCircuits());
        await restarted.BeatAsync(Ct);
        var row = await RowAsync(database, "node-b");
        Assert.Null(row.StoppedAt);
        Assert.True(row.StartedAt >= stopped.StartedAt);
        await using var db = database.CreateDbContext();
        Assert.Equal(2, await db.NodeHeartbeats.CountAsync(Ct));
    }

    [Fact]
    public async Task ABeatTheDatabaseRefusesIsReportedAndLoggedOnceUntilItSucceedsAgain()
    {
        await using var database = new TestDatabase();
        // Not migrated: the table does not exist, as on a database the node cannot use.
        var logs = new LogCollector();
        var heartbeat = Heartbeat(database, "node-d", new NodeCircuits(), logs);

        Assert.False(await heartbeat.BeatAsync(Ct));
        Assert.False(await heartbeat.BeatAsync(Ct));
        await database.MigrateAsync();
        Assert.True(await heartbeat.BeatAsync(Ct));

        Assert.Single(logs.Entries, e => e.Message.Contains("could not write its heartbeat", StringComparison.Ordinal));
        Assert.Single(logs.Entries, e => e.Message.Contains("heartbeat written again", StringComparison.Ordinal));
    }

    internal static NodeHeartbeatService Heartbeat(TestDatabase database, string name, NodeCircuits circuits, LogCollector? logs = null) => new(
        database.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(),
        new NodeIdentity(name),
        circuits,
        database.Services.GetRequiredService<OrderChangePoller>(),
        Options.Create(new NodeOptions()),
        TimeProvider.System,
        logs is null ? NullLogger<NodeHeartbeatService>.Instance : new Logger<NodeHeartbeatService>(new LoggerFactory([logs])));

    private static async Task<MerchantPortal.Data.Nodes.NodeHeartbeat> RowAsync(TestDatabase database, string name)
    {
        await using var db = database.CreateDbContext();
        return await db.NodeHeartbeats.AsNoTracking().SingleAsync(n => n.Name == name, Ct);
    }
}
