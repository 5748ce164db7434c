using System.Diagnostics;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Orders;

/// <summary>
/// The one publisher of order changes in this process. Every <see cref="OrderNotificationOptions.PollInterval"/>
/// (or at once after <see cref="Wake"/>) it reads OrderChanges above its watermark: one
/// primary-key range query when nothing happened, plus one grouped count of New orders for the
/// merchants that had changes. Neither grows with the number of open dashboards.
/// </summary>
public sealed class OrderChangePoller(
    IDbContextFactory<PortalDbContext> dbFactory,
    OrderChangeFeed feed,
    OrderNotifier notifier,
    OrderNotificationMetrics metrics,
    IOptions<OrderNotificationOptions> options,
    TimeProvider clock,
    ILogger<OrderChangePoller> logger) : BackgroundService
{
    private static readonly TimeSpan TrimEvery = TimeSpan.FromHours(1);

    private readonly OrderNotificationOptions _options = options.Value;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private OrderChangeWatermark? _watermark;
    private long _version;
    private int _failures;
    private long _outageStarted;
    private DateTime _nextTrim = DateTime.MaxValue;

    /// <summary>The watermark's bound: every change at a lower position is delivered (null before the first successful poll).</summary>
    public long? Watermark => _watermark?.Bound;

    /// <summary>When the last poll succeeded (null before the first); read by the heartbeat and the readiness check.</summary>
    public DateTimeOffset? LastPolledAt { get; private set; }

    /// <summary>When the current run of failed polls began (null while polls succeed).</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    /// <summary>
    /// Polls now instead of at the next interval. Writers in this process call it after they
    /// commit so their change shows in milliseconds; the poll, not the writer, publishes it.
    /// </summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Delivery == OrderDelivery.DashboardPolling)
        {
            logger.LogWarning("Order change poller off: every dashboard polls the database itself every {Interval} (benchmark baseline, not for production)",
                _options.DashboardPollInterval);
            return;
        }

        logger.LogInformation("Order change poller started (every {Interval})", _options.PollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = clock.GetTimestamp();
            var delay = await TickAsync(stoppingToken);
            try
            {
                if (await _wake.WaitAsync(delay, stoppingToken))
                {
                    await KeepWakeGapAsync(started, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    // Woken before WakeGap has passed since the last poll began: wait out the rest, then take
    // back the wake-ups that came meanwhile, since the poll that follows reads their changes too.
    private async Task KeepWakeGapAsync(long lastPollStarted, CancellationToken ct)
    {
        var rest = _options.WakeGap - clock.GetElapsedTime(lastPollStarted);
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest, clock, ct);
            _wake.Wait(0, CancellationToken.None);
        }
    }

    /// <summary>One poll with outage handling; returns how long to wait before the next one.</summary>
    internal async Task<TimeSpan> TickAsync(CancellationToken ct)
    {
        try
        {
            await PollOnceAsync(ct);
            LastPolledAt = clock.GetUtcNow();
            FailingSince = null;
            if (_failures > 0)
            {
                logger.LogInformation("Order change polling recovered after {Failures} failed poll(s) over {Duration}; resuming from change {Watermark}",
                    _failures, Stopwatch.GetElapsedTime(_outageStarted), _watermark?.Bound);
                _failures = 0;
            }

            return _options.PollInterval;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            metrics.PollFailed();
            if (_failures++ == 0)
            {
                FailingSince = clock.GetUtcNow();
                // Once per outage: a dead database would otherwise write a line per interval.
                _outageStarted = Stopwatch.GetTimestamp();
                logger.LogError(ex, "Order change polling failed; retrying every {MaxDelay} at most from change {Watermark}. Nothing more is logged until it recovers",
                    _options.MaxRetryDelay, _watermark?.Bound);
            }

            return RetryDelay(_failures);
        }
    }

    /// <summary>Reads, publishes and returns the number of changes delivered.</summary>
    internal async Task<int> PollOnceAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        DatabaseCommandMetrics.CountAs(DatabaseCommandMetrics.ChangePollerSource);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (_watermark is null)
        {
            // Start from now: open dashboards read their counts from the database anyway.
            _watermark = await feed.StartAsync(db, ct);
            _nextTrim = clock.GetUtcNow().UtcDateTime + TrimEvery;
        }

        var read = await feed.ReadAsync(db, _watermark, _options.BatchSize, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var fresh = _watermark.Accept(read.Rows, r => r.Change.ChangeId, r => r.Position, read.Horizon, read.Complete)
            .ConvertAll(r => r.Change);
        if (fresh.Count > 0)
        {
            await PublishAsync(db, fresh, ct);
        }

        if (now >= _nextTrim)
        {
            await TrimAsync(db, now, ct);
        }

        metrics.Polled(Stopwatch.GetElapsedTime(started).TotalMilliseconds, fresh.Count);
        return fresh.Count;
    }

    private async Task PublishAsync(PortalDbContext db, List<OrderChangeEvent> changes, CancellationToken ct)
    {
        var merchantIds = changes.Select(c => c.MerchantId).Distinct().ToList();
        // One grouped read for every merchant with changes: the New count and the alarm (how many
        // of those are unacknowledged, and since when).
        var states = await db.Orders
            .Where(o => merchantIds.Contains(o.MerchantId) && o.Status == OrderStatus.New)
            .GroupBy(o => o.MerchantId)
            .Select(g => new
            {
                MerchantId = g.Key,
                Count = g.Count(),
                Unacknowledged = g.Count(o => o.AcknowledgedAt == null),
                Since = g.Where(o => o.AcknowledgedAt == null).Min(o => (DateTime?)o.CreatedAt),
            })
            .ToDictionaryAsync(x => x.MerchantId, ct);
        var version = ++_version;
        foreach (var merchant in changes.GroupBy(c => c.MerchantId))
        {
            var state = states.GetValueOrDefault(merchant.Key);
            notifier.Publish(new OrderNotification(merchant.Key, version, state?.Count ?? 0, [.. merchant])
            {
                Alarm = state is null ? OrderAlarm.Off : new OrderAlarm(state.Unacknowledged, state.Since),
            });
        }
    }

    private async Task TrimAsync(PortalDbContext db, DateTime now, CancellationToken ct)
    {
        var cutoff = now - _options.ChangeRetention;
        // Rows past retention are long delivered: no transaction stays open for a day.
        var deleted = await db.OrderChanges.Where(c => c.ChangedAt < cutoff).ExecuteDeleteAsync(ct);
        _nextTrim = now + TrimEvery;
        if (deleted > 0)
        {
            logger.LogInformation("Trimmed {Count} order change rows older than {Retention}", deleted, _options.ChangeRetention);
        }
    }

    /// <summary>Twice the poll interval after the first failure, doubling up to MaxRetryDelay, never below the interval.</summary>
    private TimeSpan RetryDelay(int failures)
    {
        var delay = RetryBackoff.Delay(2 * _options.PollInterval, failures, _options.MaxRetryDelay);
        return delay < _options.PollInterval ? _options.PollInterval : delay;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
