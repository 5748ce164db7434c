using System.Collections.Concurrent;
using System.Diagnostics;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Reconnect;

/// <summary>
/// Many <see cref="ReconnectingDashboard"/>s with one set of circuit callbacks (the dictionary finds the
/// dashboard of a client, as ProbeRunner does), how many are live, every outage (drop to live again) and
/// the moment of every circuit start or resume, for start-ups per second.
/// </summary>
public sealed class DashboardFleet(string pagePath = "") : IAsyncDisposable
{
    private readonly ConcurrentDictionary<CircuitClient, ReconnectingDashboard> _byClient = new();
    private readonly ConcurrentQueue<ReconnectingDashboard> _dashboards = new();
    private readonly ConcurrentQueue<long> _cameUp = new();
    private readonly ConcurrentQueue<TimeSpan> _outages = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _live;
    private CircuitCallbacks? _callbacks;

    /// <summary>The page each dashboard loads, relative to its session's base address ("" is the dashboard).</summary>
    public string PagePath { get; } = pagePath;

    public FailureTally Failures { get; } = new();

    /// <summary>Circuits that did not start after a reload (the dashboard then reloads again); not failures by themselves.</summary>
    public FailureTally StartRetries { get; } = new();

    public int Live => Volatile.Read(ref _live);

    public IReadOnlyCollection<ReconnectingDashboard> Dashboards => _dashboards;

    /// <summary>Every outage so far, drop to live again, in the order they ended.</summary>
    public IReadOnlyList<TimeSpan> Outages => [.. _outages];

    /// <summary>Stopwatch timestamps of every circuit that started or resumed (first open included).</summary>
    public IReadOnlyList<long> CameUpAt => [.. _cameUp];

    private CircuitCallbacks Callbacks => _callbacks ??= new CircuitCallbacks
    {
        RenderBatch = (client, _) =>
        {
            if (_byClient.TryGetValue(client, out var dashboard))
            {
                dashboard.OnRenderBatch(client);
            }
        },
        RenderBatchBytes = (client, batch, bytes) =>
        {
            if (_byClient.TryGetValue(client, out var dashboard))
            {
                dashboard.Deliveries.Inspect(batch.ReceivedTimestamp, bytes);
            }
        },
        Closed = (client, closed) =>
        {
            if (_byClient.TryGetValue(client, out var dashboard))
            {
                dashboard.OnClosed(client, closed);
            }
        },
    };

    /// <summary>
    /// Opens <paramref name="count"/> dashboards over the sessions in turn, <paramref name="concurrency"/> at a
    /// time; returns how many opened (the others are in <see cref="Failures"/>).
    /// </summary>
    public async Task<int> OpenAsync(IReadOnlyList<MerchantSession> sessions, int count, int concurrency, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var opened = 0;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var dashboard = new ReconnectingDashboard(this, sessions[i % sessions.Count], _stopping.Token);
            try
            {
                await dashboard.OpenAsync(deadline);
                _dashboards.Enqueue(dashboard);
                Interlocked.Increment(ref opened);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failures.Add("open", e);
                await dashboard.CloseAsync();
            }
        });
        return opened;
    }

    /// <summary>Ends every recovery and closes every circuit, <paramref name="concurrency"/> at a time.</summary>
    public async Task CloseAsync(int concurrency)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        await Parallel.ForEachAsync(_dashboards, new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (dashboard, _) => await dashboard.CloseAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(50);
        _stopping.Dispose();
    }

    internal CircuitClient NewClient(ReconnectingDashboard dashboard, MerchantSession session)
    {
        var client = new CircuitClient(session, Callbacks);
        _byClient[client] = dashboard;
        return client;
    }

    internal void Forget(CircuitClient client) => _byClient.TryRemove(client, out _);

    internal void WentDown() => Interlocked.Decrement(ref _live);

    internal void CameUp(ReconnectingDashboard dashboard, TimeSpan? outage)
    {
        Interlocked.Increment(ref _live);
        _cameUp.Enqueue(Stopwatch.GetTimestamp());
        if (outage is { } o)
        {
            _outages.Enqueue(o);
        }
    }

    internal void Failed(string stage, string reason) => Failures.Add(stage, reason);

    internal void StartFailed(Exception e) => StartRetries.Add("circuit after reload", e);
}
