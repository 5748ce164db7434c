using MerchantPortal.Data;
using MerchantPortal.Data.Alerts;
using MerchantPortal.Nodes;
using MerchantPortal.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Alerts;

/// <summary>
/// Counts each merchant's live tabs on this node in memory and keeps the database's
/// <see cref="MerchantPresence"/> row of (merchant, this node) equal to "count above zero": one
/// INSERT when the first tab opens, one DELETE when the last one closes, nothing for the tabs in
/// between and nothing per interval. Whether the node itself is alive is its heartbeat's business;
/// readers join the two (<see cref="AnsweringOverview"/>).
/// </summary>
public sealed class MerchantPresenceTracker(
    IDbContextFactory<PortalDbContext> dbFactory,
    NodeIdentity node,
    TimeProvider clock,
    ILogger<MerchantPresenceTracker> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<int, MerchantTabs> _merchants = [];
    private readonly TaskCompletionSource _cleared = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Live tabs of the merchant on this node, as counted in memory.</summary>
    public int TabsOf(int merchantId)
    {
        lock (_gate)
        {
            return _merchants.TryGetValue(merchantId, out var tabs) ? tabs.Count : 0;
        }
    }

    /// <summary>
    /// Counts a tab; the returned task completes when the database agrees (the circuit handler does
    /// not wait for it). It never throws: a failed write is logged and retried with a back-off.
    /// </summary>
    public Task TabOpenedAsync(int merchantId) => ChangeAsync(merchantId, +1);

    /// <inheritdoc cref="TabOpenedAsync"/>
    public Task TabClosedAsync(int merchantId) => ChangeAsync(merchantId, -1);

    /// <summary>
    /// Deletes this node's rows: after a crash they would claim tabs that are gone. In the background,
    /// so a slow database does not hold the start; every write waits for it first.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = ClearAsync();
        return Task.CompletedTask;
    }

    /// <summary>A clean stop takes this node's rows with it, so its merchants show offline at once, not after Node:GoneAfter.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.MerchantPresence.Where(p => p.NodeName == node.Name).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            // The shutdown timeout cancels this too: a stop must end cleanly, not throw out of Main.
            logger.LogWarning(ex, "Node {Node}: could not delete its merchant presence; it stops counting after Node:GoneAfter", node.Name);
        }
    }

    private async Task ClearAsync()
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(_stopping.Token);
            var deleted = await db.MerchantPresence.Where(p => p.NodeName == node.Name).ExecuteDeleteAsync(_stopping.Token);
            if (deleted > 0)
            {
                logger.LogInformation("Node {Node}: deleted {Count} merchant presence rows left by its previous run", node.Name, deleted);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The writes below check before inserting, so a leftover row is harmless to them; it only
            // claims presence until the merchant's tabs here open and close once.
            logger.LogWarning(ex, "Node {Node}: could not delete the merchant presence left by its previous run", node.Name);
        }
        finally
        {
            _cleared.TrySetResult();
        }
    }

    private async Task ChangeAsync(int merchantId, int delta)
    {
        MerchantTabs tabs;
        lock (_gate)
        {
            if (!_merchants.TryGetValue(merchantId, out tabs!))
            {
                tabs = new MerchantTabs();
                _merchants.Add(merchantId, tabs);
            }

            tabs.Count = Math.Max(0, tabs.Count + delta);
        }

        await SyncAsync(merchantId, tabs);
    }

    /// <summary>
    /// Makes the row match the count. One writer per merchant at a time, and each reads the count
    /// only once it holds the lock: a close racing an open can never leave the row of the earlier
    /// state behind, because whichever sync runs last writes the latest count.
    /// </summary>
    private async Task SyncAsync(int merchantId, MerchantTabs tabs)
    {
        await _cleared.Task;
        try
        {
            await tabs.Writer.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            bool present;
            lock (_gate)
            {
                present = tabs.Count > 0;
            }

            if (tabs.Written == present)
            {
                return;
            }

            await WriteAsync(merchantId, present, _stopping.Token);
            tabs.Written = present;
            tabs.Failures = 0;
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            tabs.Written = null; // unknown: the next sync checks the row instead of trusting memory
            tabs.Failures++;
            var delay = RetryBackoff.Delay(FirstRetry, tabs.Failures, LastRetry);
            logger.LogWarning(ex, "Node {Node}: could not write the presence of merchant {MerchantId}; retrying in {Delay}", node.Name, merchantId, delay);
            _ = RetryAsync(merchantId, tabs, delay);
        }
        catch (OperationCanceledException)
        {
            // Stopping: StopAsync deletes every row of this node.
        }
        finally
        {
            tabs.Writer.Release();
        }
    }

    private async Task RetryAsync(int merchantId, MerchantTabs tabs, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, clock, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await SyncAsync(merchantId, tabs);
    }

    private async Task WriteAsync(int merchantId, bool present, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!present)
        {
            await db.MerchantPresence.Where(p => p.MerchantId == merchantId && p.NodeName == node.Name).ExecuteDeleteAsync(ct);
            return;
        }

        // Only this node writes rows with its name, and only under the merchant's writer lock, so
        // check-then-insert cannot race; the check covers a row whose earlier write state is unknown.
        if (!await db.MerchantPresence.AnyAsync(p => p.MerchantId == merchantId && p.NodeName == node.Name, ct))
        {
            db.MerchantPresence.Add(new MerchantPresence { MerchantId = merchantId, NodeName = node.Name, Since = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>
    /// Cancels retries. Neither the source nor the semaphores are disposed: a circuit closing during
    /// shutdown may still call in, and neither holds anything but memory (no timer, no wait handle).
    /// </summary>
    public void Dispose() => _stopping.Cancel();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never read holds only memory; see Dispose.")]
    private sealed class MerchantTabs
    {
        public readonly SemaphoreSlim Writer = new(1, 1);

        /// <summary>Guarded by the tracker's lock.</summary>
        public int Count;

        /// <summary>What the database holds as far as this node knows (null: unknown after a failure). Guarded by <see cref="Writer"/>.</summary>
        public bool? Written;

        public int Failures;
    }
}
