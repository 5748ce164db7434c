using System.Diagnostics;
using System.Net.WebSockets;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Reconnect;

/// <summary>
/// One dashboard tab that never gives up, as blazor.web.js with MerchantPortal/wwwroot/js/reconnect.js
/// behaves: when the connection drops it asks for the same circuit again on the product's backoff
/// (<see cref="ReconnectPolicy"/>); when the server answers that it no longer knows the circuit (a
/// restarted process), it waits until the page answers a HEAD and "reloads": loads the page again
/// (prerender, same cookies) and starts a new circuit. A new circuit whose start fails, or outlasts
/// reconnect.js's 5-minute backstop, reloads again, each time after the backoff; a slow start is waited for. A reload whose page load fails would leave a browser on an
/// error page for good: that is this dashboard's failure, and it stops.
/// </summary>
public sealed class ReconnectingDashboard
{
    private static readonly TimeSpan AttemptDeadline = TimeSpan.FromSeconds(30);

    private readonly DashboardFleet _fleet;
    private readonly CancellationToken _stopping;
    private CircuitClient? _client;
    private TaskCompletionSource _firstBatch = NewSignal();
    private Task _recovery = Task.CompletedTask;
    private int _reloadsSinceLive;
    private long _droppedAt;
    private int _attempts;
    private int _reloads;
    private int _drops;
    private int _down;

    internal ReconnectingDashboard(DashboardFleet fleet, MerchantSession session, CancellationToken stopping)
    {
        _fleet = fleet;
        Session = session;
        _stopping = stopping;
    }

    public MerchantSession Session { get; }

    public string Email => Session.Email;

    /// <summary>Orders written for this merchant that this dashboard has not rendered yet (the current circuit's batches).</summary>
    public DeliveryTracker.TrackedCircuit Deliveries { get; } = new();

    public bool IsLive { get; private set; }

    /// <summary>Why this dashboard is on a dead end (a reload that got no page), or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>ConnectCircuit attempts, reloads (page loads after the first) and connection drops so far.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public int Reloads => Volatile.Read(ref _reloads);

    public int Drops => Volatile.Read(ref _drops);

    /// <summary>The node that served the last page load (X-Portal-Node), when the app names one.</summary>
    public string? Node { get; private set; }

    /// <summary>The first page load and circuit; throws when either fails (the caller tallies why).</summary>
    internal async Task OpenAsync(TimeSpan deadline)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        timeout.CancelAfter(deadline);
        await StartNewCircuitAsync(null, timeout.Token);
    }

    internal void OnRenderBatch(CircuitClient client)
    {
        if (client == _client)
        {
            _firstBatch.TrySetResult();
        }
    }

    internal void OnClosed(CircuitClient client, CircuitClosed closed)
    {
        if (client != _client || closed.ByClient || _stopping.IsCancellationRequested)
        {
            return;
        }

        _firstBatch.TrySetException(new InvalidOperationException("closed before the first render"));
        // Only a live dashboard goes down (a start's own failure handling covers a circuit still starting),
        // and only once per drop (the close callback and BecameLive's check may both see it).
        if (!IsLive || Interlocked.Exchange(ref _down, 1) == 1)
        {
            return;
        }

        IsLive = false;
        _droppedAt = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _drops);
        _fleet.WentDown();
        _recovery = Task.Run(() => RecoverAsync(client));
    }

    /// <summary>Closes the current circuit as a closing tab does; ends any recovery under way (the fleet's token).</summary>
    internal async Task CloseAsync()
    {
        await _recovery.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_client is { } client)
        {
            await client.DisposeAsync();
            _fleet.Forget(client);
        }
    }

    private async Task RecoverAsync(CircuitClient dropped)
    {
        try
        {
            var circuitId = dropped.CircuitId!;
            await dropped.DisposeAsync();
            _fleet.Forget(dropped);
            if (!await ReconnectAsync(circuitId))
            {
                await ReloadAsync();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    /// <summary>blazor.web.js's retries: true once the server took the circuit back, false once it refused it.</summary>
    private async Task<bool> ReconnectAsync(string circuitId)
    {
        for (var attempt = 0; ; attempt++)
        {
            await Task.Delay(ReconnectPolicy.DelayFor(attempt, Random.Shared.NextDouble()), _stopping);
            Interlocked.Increment(ref _attempts);
            var client = _fleet.NewClient(this, Session);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
            timeout.CancelAfter(AttemptDeadline);
            try
            {
                if (await client.ConnectCircuitAsync(circuitId, timeout.Token))
                {
                    _client = client;
                    BecameLive();
                    return true;
                }

                await DropAsync(client);
                return false;
            }
            catch (Exception e) when (IsUnreachable(e))
            {
                // Not reachable yet: the next attempt, after the backoff.
                await DropAsync(client);
            }
        }
    }

    /// <summary>
    /// reconnect.js's reloadWhenServerAnswers, then the reloaded page's first circuit. A start that fails
    /// (the connection refused or closed, the server refused the circuit) or outlasts the backstop is a
    /// page that reloads again, after the backoff; a slow one is waited for, and never abandoned half-way
    /// for a new one (a browser keeps the page's connection until the page reloads).
    /// </summary>
    private async Task ReloadAsync()
    {
        while (true)
        {
            await WaitUntilServerAnswersAsync();
            _reloadsSinceLive++;
            Interlocked.Increment(ref _reloads);
            try
            {
                await StartNewCircuitAsync(ReconnectPolicy.CircuitStartBackstop, _stopping);
                return;
            }
            catch (PageLoadException e)
            {
                Failure = e.Message;
                _fleet.Failed("reload", e.Message);
                return;
            }
            catch (Exception e) when (IsUnreachable(e) && !_stopping.IsCancellationRequested)
            {
                _fleet.StartFailed(e is OperationCanceledException ? new TimeoutException("no circuit within the backstop") : e);
            }
        }
    }

    /// <summary>reconnect.js's reloadWhenServerAnswers up to the reload: the reloads since the last live circuit set the first wait.</summary>
    private async Task WaitUntilServerAnswersAsync()
    {
        for (var attempt = _reloadsSinceLive; ; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(ReconnectPolicy.DelayFor(attempt - 1, Random.Shared.NextDouble()), _stopping);
            }

            if (await ServerAnswersAsync())
            {
                return;
            }
        }
    }

    /// <summary>
    /// Loads the page (prerender) and starts its circuit until the first render: what a page load does.
    /// <paramref name="startDeadline"/> bounds the circuit start (negotiation to StartCircuit's answer, where
    /// reconnect.js's circuitOpened is set) from when the page has loaded, as reconnect.js's timer starts
    /// with the page's scripts.
    /// </summary>
    private async Task StartNewCircuitAsync(TimeSpan? startDeadline, CancellationToken cancellationToken)
    {
        PrerenderedPage page;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Session.BaseAddress, _fleet.PagePath));
            using var response = await Session.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode != 200)
            {
                throw new PageLoadException($"GET {request.RequestUri} answered {(int)response.StatusCode}, not 200.");
            }

            Node = response.Headers.TryGetValues("X-Portal-Node", out var nodes) ? nodes.FirstOrDefault() : null;
            page = PrerenderedPage.Parse(request.RequestUri!, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException e)
        {
            throw new PageLoadException($"the page did not load: {e.Message}");
        }

        var client = _fleet.NewClient(this, Session);
        _firstBatch = NewSignal();
        _client = client;
        try
        {
            using (var start = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (startDeadline is { } deadline)
                {
                    start.CancelAfter(deadline);
                }

                await client.StartAsync(page, start.Token);
            }

            await _firstBatch.Task.WaitAsync(cancellationToken);
        }
        catch
        {
            _client = null;
            await DropAsync(client);
            throw;
        }

        _reloadsSinceLive = 0;
        BecameLive();
    }

    /// <summary>reconnect.js's serverAnswers: a HEAD of the page; any answer below 500 means the app serves.</summary>
    private async Task<bool> ServerAnswersAsync()
    {
        try
        {
            using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(Session.BaseAddress, _fleet.PagePath));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
            timeout.CancelAfter(AttemptDeadline);
            using var response = await Session.SendAsync(head, timeout.Token);
            return (int)response.StatusCode < 500;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !_stopping.IsCancellationRequested))
        {
            return false;
        }
    }

    private void BecameLive()
    {
        var wasDown = _droppedAt != 0;
        Volatile.Write(ref _down, 0);
        IsLive = true;
        _fleet.CameUp(this, wasDown ? Stopwatch.GetElapsedTime(_droppedAt) : null);
        _droppedAt = 0;
        if (_client is { Completion.IsCompleted: true } client)
        {
            // Dropped again before it was marked live: handle it as the drop it is.
            OnClosed(client, new CircuitClosed(null, false, null, ByClient: false));
        }
    }

    private async Task DropAsync(CircuitClient client)
    {
        await client.DisposeAsync();
        _fleet.Forget(client);
    }

    private bool IsUnreachable(Exception e) =>
        e is HttpRequestException or InvalidOperationException or WebSocketException or IOException or FormatException
        || (e is OperationCanceledException && !_stopping.IsCancellationRequested);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class PageLoadException(string message) : Exception(message);
}
