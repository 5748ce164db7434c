using System.Collections.Concurrent;
using System.Diagnostics;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Soak;

/// <summary>
/// Churns dashboard circuits the way tabs come and go all day: <see cref="SoakOptions.Concurrency"/> workers
/// each open a tab (prerendered page, circuit, first render), keep it a moment while orders flow, then close
/// it as a browser closes a tab, over and over. Afterwards what churn leaves behind is read from outside:
/// the notifier's subscribers, the managed heap after a full GC, open file descriptors, the app's log.
/// </summary>
internal sealed class SoakRunner(SoakOptions options, TextWriter log)
{
    private static readonly TimeSpan FirstRenderDeadline = TimeSpan.FromSeconds(30);

    /// <summary>A tab waits this long at most, before closing, for orders written while it was open.</summary>
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(10);

    /// <summary>How long the app may take to end the last circuits and close their sockets.</summary>
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan HeapReadTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    private const int HeapReadings = 3;

    private static readonly TimeSpan HeapReadingInterval = TimeSpan.FromSeconds(5);

    private readonly FailureTally _failures = new();
    private readonly ConcurrentDictionary<CircuitClient, SoakCircuit> _circuits = new();
    private readonly ConcurrentDictionary<SoakCircuit, byte> _open = new();
    private readonly ConcurrentBag<double> _latencies = [];
    private int _claimed;
    private int _completed;
    private int _openPeak;
    private int _expected;
    private int _missed;
    private int _beaconsRefused;

    public async Task<SoakFigures?> RunAsync()
    {
        var pid = options.AppPid;
        var connection = $"Data Source={options.Database};Pooling=False";
        var merchantIds = await OrderWriter.MerchantIdsAsync(connection, options.Merchants, CancellationToken.None);
        await using var watch = await AppWatch.StartAsync(pid, CancellationToken.None);
        if (!await Eventually(() => watch.InstrumentSeen, TimeSpan.FromSeconds(15)))
        {
            await log.WriteLineAsync($"soak: the app reported no {AppWatch.SubscribersInstrument} instrument within 15 s (is it the portal?)");
            return null;
        }

        var callbacks = Callbacks();
        using var stopWriting = new CancellationTokenSource();
        var writer = WriteAsync(connection, merchantIds, stopWriting.Token);
        var clock = Stopwatch.StartNew();

        await log.WriteLineAsync($"soak: warm-up, {options.Warmup} cycles");
        if (!await ChurnAsync(options.Warmup, merchantIds, callbacks, clock))
        {
            return null;
        }

        var start = await SettledReadingAsync(watch, expectOtherFds: null);
        await log.WriteLineAsync($"soak: start: {start}");
        var churn = Stopwatch.StartNew();
        if (!await ChurnAsync(options.Cycles - options.Warmup, merchantIds, callbacks, clock))
        {
            return null;
        }

        churn.Stop();
        await stopWriting.CancelAsync();
        var written = await writer;
        var end = await SettledReadingAsync(watch, expectOtherFds: start.Fds?.Other);
        await log.WriteLineAsync($"soak: end: {end}");
        List<double> latencies = [.. _latencies];
        latencies.Sort();
        return new SoakFigures
        {
            Cycles = options.Cycles - options.Warmup,
            Warmup = options.Warmup,
            HeapTolerance = options.HeapTolerancePercent / 100.0,
            Concurrency = options.Concurrency,
            Completed = _completed,
            Failures = _failures.Grouped(),
            ChurnDuration = churn.Elapsed,
            OpenPeak = _openPeak,
            OrdersWritten = written,
            DeliveriesExpected = _expected,
            Missed = _missed,
            LatenciesMs = latencies,
            BeaconsRefused = _beaconsRefused,
            Start = start,
            End = end,
            Errors = watch.Errors,
            Warnings = watch.Warnings,
            LogMessages = watch.Messages,
        };
    }

    private CircuitCallbacks Callbacks() => new()
    {
        RenderBatch = (client, _) =>
        {
            if (_circuits.TryGetValue(client, out var circuit))
            {
                circuit.FirstBatch.TrySetResult();
            }
        },
        RenderBatchBytes = (client, batch, bytes) =>
        {
            if (_circuits.TryGetValue(client, out var circuit))
            {
                circuit.Inspect(batch.ReceivedTimestamp, bytes, _latencies.Add);
            }
        },
        Closed = (client, closed) =>
        {
            if (_circuits.TryGetValue(client, out var circuit))
            {
                circuit.Closed = closed;
                circuit.FirstBatch.TrySetException(new InvalidOperationException("closed before the first render"));
            }
        },
    };

    /// <summary>
    /// Signs in afresh with a new HTTP client per phase and disposes it after, so the phase's pooled
    /// keep-alive connections are closed before the app's descriptors are counted. False when sign-in failed.
    /// </summary>
    private async Task<bool> ChurnAsync(int cycles, IReadOnlyList<int> merchantIds, CircuitCallbacks callbacks, Stopwatch clock)
    {
        using var http = CookieHttp.CreateSharedClient();
        // A few at a time: each sign-in is a deliberately slow password hash on the app.
        var sessions = new MerchantSession?[options.Merchants.Count];
        await Parallel.ForAsync(0, sessions.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            try
            {
                sessions[i] = await MerchantSession.SignInAsync(http, options.Url, options.Merchants[i], options.Password, ct);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                await log.WriteLineAsync($"soak: sign-in as {options.Merchants[i]} at {options.Url} failed: {FailureTally.Describe(e)}");
            }
        });
        if (sessions.Any(s => s is null))
        {
            return false;
        }

        _claimed = 0;
        _completed = 0;
        using var progressStop = new CancellationTokenSource();
        var progress = ReportProgressAsync(cycles, clock, progressStop.Token);
        var workers = Enumerable.Range(0, options.Concurrency).Select(w => WorkAsync(w, cycles, [.. sessions.Select(s => s!)], merchantIds, callbacks));
        await Task.WhenAll(workers);
        await progressStop.CancelAsync();
        await progress;
        return true;
    }

    private async Task WorkAsync(int worker, int cycles, List<MerchantSession> sessions, IReadOnlyList<int> merchantIds, CircuitCallbacks callbacks)
    {
        var random = new Random(worker);
        int cycle;
        while ((cycle = Interlocked.Increment(ref _claimed)) <= cycles)
        {
            var which = cycle % sessions.Count;
            var hold = options.Hold * (0.5 + random.NextDouble() / 2);
            await CycleAsync(sessions[which], merchantIds[which], callbacks, hold);
            Interlocked.Increment(ref _completed);
        }
    }

    /// <summary>One tab: open, hold, wait for the orders written meanwhile, close. Failures are tallied, never thrown.</summary>
    private async Task CycleAsync(MerchantSession session, int merchantId, CircuitCallbacks callbacks, TimeSpan hold)
    {
        var stage = "page";
        var circuit = new SoakCircuit(new CircuitClient(session, callbacks), merchantId);
        _circuits[circuit.Client] = circuit;
        try
        {
            using (var deadline = new CancellationTokenSource(FirstRenderDeadline))
            {
                var page = await PrerenderedPage.LoadAsync(session, "", deadline.Token);
                stage = "start";
                await circuit.Client.StartAsync(page, deadline.Token);
                stage = "first render";
                await circuit.FirstBatch.Task.WaitAsync(deadline.Token);
            }

            circuit.Accept(true);
            _open[circuit] = 0;
            var open = _open.Count;
            InterlockedMax(ref _openPeak, open);
            await Task.Delay(hold);
            stage = "hold";
            circuit.Accept(false);
            _open.TryRemove(circuit, out _);
            await Eventually(() => circuit.Pending == 0 || circuit.Closed is not null, DeliveryDeadline);
            if (circuit.Pending > 0)
            {
                Interlocked.Add(ref _missed, circuit.Pending);
                _failures.Add("delivery", circuit.Closed is null
                    ? $"orders not shown within {DeliveryDeadline.TotalSeconds:F0} s" : "orders lost with a dropped circuit");
            }

            if (circuit.Closed is { } closed)
            {
                _failures.Add("hold", closed.Error is { } error ? $"server closed: {error}" : "connection ended");
                return;
            }

            stage = "close";
            using var closeDeadline = new CancellationTokenSource(CloseDeadline);
            if (!await circuit.Client.CloseAsTabAsync(closeDeadline.Token))
            {
                Interlocked.Increment(ref _beaconsRefused);
            }
        }
        catch (OperationCanceledException)
        {
            _failures.Add(stage, "no answer within the deadline");
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Net.WebSockets.WebSocketException
            or IOException or FormatException)
        {
            _failures.Add(stage, e);
        }
        finally
        {
            circuit.Accept(false);
            _open.TryRemove(circuit, out _);
            await circuit.Client.DisposeAsync();
            _circuits.TryRemove(circuit.Client, out _);
        }
    }

    /// <summary>Orders at the set rate for the signed-in merchants; each one is expected by that merchant's open tabs.</summary>
    private async Task<int> WriteAsync(string connection, IReadOnlyList<int> merchantIds, CancellationToken ct)
    {
        var writer = new OrderWriter(connection, merchantIds);
        var written = 0;
        try
        {
            // The counter is read when the token stops the writer, whatever the duration says.
            await writer.RunAsync(options.OrdersPerSecond, TimeSpan.FromDays(1), (merchantId, marker) =>
            {
                Interlocked.Increment(ref written);
                var order = new SoakOrder(marker);
                foreach (var circuit in _open.Keys)
                {
                    if (circuit.MerchantId == merchantId && circuit.TryExpect(order))
                    {
                        Interlocked.Increment(ref _expected);
                    }
                }

                return committed => order.Committed = committed;
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped after the last cycle.
        }

        return written;
    }

    /// <summary>
    /// Waits until no circuit is left on the notifier (and, for the end, until the descriptors are back
    /// to <paramref name="expectOtherFds"/>), then reads the heap after a full GC.
    /// </summary>
    private async Task<SoakReading> SettledReadingAsync(AppWatch watch, int? expectOtherFds)
    {
        var pid = options.AppPid;
        var waited = Stopwatch.StartNew();
        var subscribers = await watch.ReadSettledSubscribersAsync(TimeSpan.FromSeconds(15));
        while (subscribers != 0 && waited.Elapsed < SettleDeadline)
        {
            subscribers = await watch.ReadSettledSubscribersAsync(TimeSpan.FromSeconds(15));
        }

        // Sockets the app has not closed yet (a close handshake still under way) settle within moments.
        if (expectOtherFds is { } target)
        {
            await Eventually(() => AppFds.Read(pid, options.Database)?.Other <= target, SettleDeadline - waited.Elapsed);
        }

        var heap = await ReadLowestHeapAsync(pid);
        return new SoakReading(subscribers, heap, AppFds.Read(pid, options.Database), ProcStats.ReadRssBytes(pid), waited.Elapsed);
    }

    /// <summary>
    /// The lowest of a few full-GC readings some seconds apart. Pools the runtime and Kestrel trim when idle
    /// (pinned socket buffers, array pools) make a single reading after a burst swing by tens of MiB either
    /// way; start and end are read the same way, so what stays is what churn left behind.
    /// </summary>
    private static async Task<ManagedHeapReading> ReadLowestHeapAsync(int pid)
    {
        ManagedHeapReading lowest = default;
        for (var i = 0; i < HeapReadings; i++)
        {
            if (i > 0)
            {
                await Task.Delay(HeapReadingInterval);
            }

            var reading = await ManagedHeapReader.ReadAfterFullGcAsync(pid, HeapReadTimeout);
            if (lowest.Bytes is null || reading.Bytes < lowest.Bytes)
            {
                lowest = reading;
            }
        }

        return lowest;
    }

    private async Task ReportProgressAsync(int cycles, Stopwatch clock, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(ProgressInterval);
        var last = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var done = Volatile.Read(ref _completed);
                await log.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"soak: {clock.Elapsed:hh\\:mm\\:ss} {done:N0}/{cycles:N0} cycles ({(done - last) / ProgressInterval.TotalSeconds:F0}/s), {_open.Count} open, {_failures.Total} failed, {Volatile.Read(ref _expected):N0} deliveries expected, {Volatile.Read(ref _missed)} missed, app fds {AppFds.Read(options.AppPid, options.Database)}{(_failures.Grouped() is [var top, ..] ? $"; most failed: {top.Count} x {top.Reason}" : "")}"));
                last = done;
            }
        }
        catch (OperationCanceledException)
        {
            // The phase ended.
        }
    }

    private static async Task<bool> Eventually(Func<bool> condition, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}
