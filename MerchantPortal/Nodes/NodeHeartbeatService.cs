using MerchantPortal.Data;
using MerchantPortal.Data.Nodes;
using MerchantPortal.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Nodes;

/// <summary>
/// Writes this node's <see cref="NodeHeartbeat"/> row every <see cref="NodeOptions.HeartbeatInterval"/>
/// (one UPDATE; an INSERT the first time), and marks it stopped on a clean shutdown. The cost is one
/// statement per interval per node, whatever the number of open tabs.
/// </summary>
public sealed class NodeHeartbeatService(
    IDbContextFactory<PortalDbContext> dbFactory,
    NodeIdentity node,
    NodeCircuits circuits,
    OrderChangePoller poller,
    IOptions<NodeOptions> options,
    TimeProvider clock,
    ILogger<NodeHeartbeatService> logger) : BackgroundService
{
    /// <summary>Rows of nodes unseen for this long are deleted when a node starts: nobody needs a week-old crash in the view.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    private readonly DateTime _startedAt = clock.GetUtcNow().UtcDateTime;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Node {Node} started; heartbeat every {Interval}", node.Name, options.Value.HeartbeatInterval);
        await ForgetOldNodesAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, clock);
        do
        {
            await BeatAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>Writes the row once now; false (after logging once per outage) when the database refused.</summary>
    internal async Task<bool> BeatAsync(CancellationToken ct)
    {
        try
        {
            await WriteAsync(stoppedAt: null, ct);
            if (_failing)
            {
                _failing = false;
                logger.LogInformation("Node {Node}: heartbeat written again", node.Name);
            }

            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            if (!_failing)
            {
                _failing = true;
                logger.LogWarning(ex, "Node {Node}: could not write its heartbeat; retrying every {Interval}, nothing more is logged until it succeeds",
                    node.Name, options.Value.HeartbeatInterval);
            }

            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // So the view says "stopped" at once instead of "gone" after the timeout.
            await WriteAsync(stoppedAt: clock.GetUtcNow().UtcDateTime, cancellationToken);
        }
        catch (Exception ex)
        {
            // The shutdown timeout cancels this too: a stop must end cleanly, not throw out of Main.
            logger.LogWarning(ex, "Node {Node}: could not record its clean stop; the Nodes view will show it gone after {GoneAfter}",
                node.Name, options.Value.GoneAfter);
        }
    }

    private async Task WriteAsync(DateTime? stoppedAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var lastPolled = poller.LastPolledAt?.UtcDateTime;
        long? lag = lastPolled is { } polled ? (long)Math.Max(0, (now - polled).TotalMilliseconds) : null;
        var open = circuits.Open;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var updated = await db.NodeHeartbeats.Where(n => n.Name == node.Name).ExecuteUpdateAsync(set => set
            .SetProperty(n => n.StartedAt, _startedAt)
            .SetProperty(n => n.LastSeenAt, now)
            .SetProperty(n => n.StoppedAt, stoppedAt)
            .SetProperty(n => n.LastPolledAt, lastPolled)
            .SetProperty(n => n.PollLagMilliseconds, lag)
            .SetProperty(n => n.OpenCircuits, open), ct);
        if (updated == 0)
        {
            db.NodeHeartbeats.Add(new NodeHeartbeat
            {
                Name = node.Name, StartedAt = _startedAt, LastSeenAt = now, StoppedAt = stoppedAt,
                LastPolledAt = lastPolled, PollLagMilliseconds = lag, OpenCircuits = open,
            });
            // Only a node of the same name can race this insert (a restart overlapping its old
            // process); the loser's key violation fails one beat, and its next beat updates.
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task ForgetOldNodesAsync(CancellationToken ct)
    {
        try
        {
            var cutoff = clock.GetUtcNow().UtcDateTime - ForgetAfter;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.NodeHeartbeats.Where(n => n.LastSeenAt < cutoff).ExecuteDeleteAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Node {Node}: could not delete heartbeats older than {Age}", node.Name, ForgetAfter);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
