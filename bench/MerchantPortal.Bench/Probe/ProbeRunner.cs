using System.Diagnostics;
using System.Globalization;
using MerchantPortal.Bench.Circuits;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Opens N dashboard circuits the way N browser tabs would (load the prerendered page, start the circuit,
/// wait for the first render), holds them while the keep-alive runs, and closes them, measuring the app
/// from outside through /proc.
/// </summary>
internal sealed class ProbeRunner
{
    private static readonly TimeSpan DisconnectDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Lets the server finish tearing circuits down before the last RSS reading.</summary>
    private static readonly TimeSpan SettleAfterDisconnect = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan SettleAfterOpen = TimeSpan.FromSeconds(10);

    /// <summary>After the last write: longer than the baseline's 10 s dashboard poll, so a slow path still counts.</summary>
    private static readonly TimeSpan DeliveryDrainDeadline = TimeSpan.FromSeconds(20);

    /// <summary>The write window's latency is also printed per slice of this, by commit time.</summary>
    private static readonly TimeSpan TimelineSlice = TimeSpan.FromSeconds(5);

    /// <summary>A full GC of a few hundred MiB takes seconds on this machine; past this the reading is given up.</summary>
    private static readonly TimeSpan HeapReadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long the app may take to publish its first database command interval (published every second).</summary>
    private static readonly TimeSpan CommandCounterDeadline = TimeSpan.FromSeconds(10);

    private readonly ProbeOptions _options;
    private readonly TextWriter _log;
    private readonly CircuitOpener _opener;
    private readonly CircuitCallbacks _callbacks;
    private int _held;

    public ProbeRunner(ProbeOptions options, TextWriter log)
    {
        _options = options;
        _log = log;
        _opener = new CircuitOpener(options.FirstRenderDeadline);
        // One callbacks instance for every circuit; the opener finds the circuit's own state.
        _callbacks = new CircuitCallbacks
        {
            RenderBatch = (client, _) =>
            {
                if (_opener.Find(client) is { } circuit)
                {
                    circuit.FirstBatch.TrySetResult();
                }
            },
            RenderBatchBytes = (client, batch, bytes) =>
            {
                if (_opener.Find(client) is { } circuit)
                {
                    circuit.Deliveries.Inspect(batch.ReceivedTimestamp, bytes);
                }
            },
            Closed = (client, closed) =>
            {
                if (_opener.Find(client) is { } circuit)
                {
                    circuit.Closed = closed;
                    circuit.FirstBatch.TrySetException(new InvalidOperationException($"closed before the first render: {Describe(closed)}"));
                }
            },
        };
    }

    /// <summary>The figures, or null when a merchant could not sign in (already logged): nothing was opened then.</summary>
    public async Task<ProbeFigures?> RunAsync()
    {
        using var http = CookieHttp.CreateSharedClient();
        var sessions = _options.Anonymous ? [MerchantSession.Anonymous(http, _options.Url)] : await SignInAsync(http);
        if (sessions is null)
        {
            return null;
        }

        var pid = _options.AppPid;
        var rssBefore = pid is { } p0 ? ProcStats.ReadRssBytes(p0) : null;
        var heapBefore = pid is { } h0 ? await ManagedHeapReader.ReadAfterFullGcAsync(h0, HeapReadTimeout) : (ManagedHeapReading?)null;
        var probeRssBefore = ProcStats.ReadRssBytes(Environment.ProcessId);
        var probeHeapBefore = GC.GetTotalMemory(forceFullCollection: true);

        var probeCpuBeforeStartup = ProcStats.ReadCpuSeconds(Environment.ProcessId);
        var startup = Stopwatch.StartNew();
        var held = await OpenAllAsync(sessions);
        startup.Stop();
        var probeCpuStartup = ProcStats.ReadCpuSeconds(Environment.ProcessId) - probeCpuBeforeStartup;
        await _log.WriteLineAsync($"probe: {held.Count} of {_options.Circuits} circuits held after {startup.Elapsed.TotalSeconds:F1} s; holding {_options.Hold.TotalSeconds:F0} s idle");

        // Start-up leaves work behind (tiered JIT, a GC after the burst); the idle window should not measure it.
        await Task.Delay(SettleAfterOpen);
        await using var commands = pid is { } c0 ? await StartCommandCounterAsync(c0) : null;
        var rssHeld = pid is { } p1 ? ProcStats.ReadRssBytes(p1) : null;
        var probeRssHeld = ProcStats.ReadRssBytes(Environment.ProcessId);
        var idle = await MeasureAsync(commands, () => Task.Delay(_options.Hold));

        // At the end of the idle hold, so the forced GC stays out of the RSS and CPU figures and the circuits are idle.
        var heapHeld = pid is { } h1 ? await ManagedHeapReader.ReadAfterFullGcAsync(h1, HeapReadTimeout) : (ManagedHeapReading?)null;
        var probeHeapHeld = GC.GetTotalMemory(forceFullCollection: true);
        var loads = _options.Database is { } database ? await WriteAllAsync(database, held, commands) : [];

        var dropped = 0;
        foreach (var circuit in held.Where(c => c.Closed is not null))
        {
            dropped++;
            _opener.Failures.Add("closed during hold", Describe(circuit.Closed!));
        }

        var pings = held.Sum(c => c.Client.PingsSent);
        var unclean = await DisconnectAllAsync(held);
        await Task.Delay(SettleAfterDisconnect);
        return new ProbeFigures
        {
            Requested = _options.Circuits,
            Held = held.Count,
            DroppedDuringHold = dropped,
            Failures = _opener.Failures.Grouped(),
            Merchants = _options.Anonymous ? 0 : sessions.Count,
            StartupDuration = startup.Elapsed,
            HoldDuration = idle.Elapsed,
            PingsSent = pings,
            UncleanDisconnects = unclean,
            AppRssBefore = rssBefore,
            AppRssHeld = rssHeld,
            AppRssAfter = pid is { } p4 ? ProcStats.ReadRssBytes(p4) : null,
            AppCpuSecondsDuringHold = idle.CpuSeconds,
            AppHeapBefore = heapBefore,
            AppHeapHeld = heapHeld,
            ProbeRssBefore = probeRssBefore,
            ProbeRssHeld = probeRssHeld,
            ProbeRssAfter = ProcStats.ReadRssBytes(Environment.ProcessId),
            ProbeHeapBefore = probeHeapBefore,
            ProbeHeapHeld = probeHeapHeld,
            ProbeCpuSecondsDuringStartup = probeCpuStartup,
            ProbeCpuSecondsDuringHold = idle.ProbeCpuSeconds,
            IdleCommandsPerSecond = idle.CommandsPerSecond,
            IdlePollerCommandsPerSecond = idle.PollerCommandsPerSecond,
            Load = loads.FirstOrDefault(),
            Loads = loads,
        };
    }

    /// <summary>
    /// Runs a phase between two settled readings of the app's command counter (each waits for the app's
    /// next published interval, so the window is whole intervals) and its CPU time.
    /// </summary>
    private async Task<Window> MeasureAsync(AppCommandCounter? commands, Func<Task> phase)
    {
        var pid = _options.AppPid;
        (double Total, double Poller)? commandsBefore = commands is null ? null : await commands.ReadSettledAsync(CancellationToken.None);
        var cpuBefore = pid is { } p0 ? ProcStats.ReadCpuSeconds(p0) : null;
        var probeCpuBefore = ProcStats.ReadCpuSeconds(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        await phase();
        (double Total, double Poller)? commandsAfter = commands is null ? null : await commands.ReadSettledAsync(CancellationToken.None);
        var cpuAfter = pid is { } p1 ? ProcStats.ReadCpuSeconds(p1) : null;
        var probeCpuAfter = ProcStats.ReadCpuSeconds(Environment.ProcessId);
        clock.Stop();
        var seconds = clock.Elapsed.TotalSeconds;
        return new Window(clock.Elapsed, cpuAfter - cpuBefore, probeCpuAfter - probeCpuBefore,
            (commandsAfter?.Total - commandsBefore?.Total) / seconds, (commandsAfter?.Poller - commandsBefore?.Poller) / seconds);
    }

    /// <summary>
    /// The app's database command counter, or null when the app publishes none within the deadline (an app
    /// other than the portal, such as bench/MinimalCircuit): each window would otherwise wait forever for
    /// an interval that never comes. The portal's change poller runs a query at least every few seconds.
    /// </summary>
    private async Task<AppCommandCounter?> StartCommandCounterAsync(int pid)
    {
        var commands = await AppCommandCounter.StartAsync(pid, CancellationToken.None);
        var waited = Stopwatch.StartNew();
        while (commands.Published == 0 && waited.Elapsed < CommandCounterDeadline)
        {
            await Task.Delay(100);
        }

        if (commands.Published > 0)
        {
            return commands;
        }

        await commands.DisposeAsync();
        await _log.WriteLineAsync($"probe: the app published no database command counter within {CommandCounterDeadline.TotalSeconds:F0} s; no command figures");
        return null;
    }

    private sealed record Window(TimeSpan Elapsed, double? CpuSeconds, double? ProbeCpuSeconds, double? CommandsPerSecond, double? PollerCommandsPerSecond);

    /// <summary>One write window per rate, in order, from the same app and circuits.</summary>
    private async Task<List<LoadFigures>> WriteAllAsync(string database, List<ProbeCircuit> held, AppCommandCounter? commands)
    {
        var emails = held.Select(c => c.Email).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var ids = await OrderWriter.MerchantIdsAsync(WriterConnection(database), emails, CancellationToken.None, _options.DatabaseProvider);
        var idByEmail = emails.Zip(ids).ToDictionary(x => x.First, x => x.Second, StringComparer.OrdinalIgnoreCase);
        var loads = new List<LoadFigures>();
        for (var i = 0; i < _options.WriteRates.Count; i++)
        {
            loads.Add(await WriteAsync(database, _options.WriteRates[i], held, idByEmail, ids, commands, seed: i + 1));
        }

        return loads;
    }

    /// <summary>SQLite without pooling: a sweep replaces the file between runs, and a pooled handle would keep writing to the old one.</summary>
    private string WriterConnection(string database) =>
        _options.DatabaseProvider == MerchantPortal.Data.DatabaseProvider.Sqlite ? $"Data Source={database};Pooling=False" : database;

    /// <summary>Inserts orders at the set rate from this process and times each one to every circuit of its merchant.</summary>
    private async Task<LoadFigures> WriteAsync(string database, int rate, List<ProbeCircuit> held, Dictionary<string, int> idByEmail,
        IReadOnlyList<int> ids, AppCommandCounter? commands, int seed)
    {
        var tracker = new DeliveryTracker();
        foreach (var circuit in held)
        {
            tracker.Add(idByEmail[circuit.Email], circuit.Deliveries);
        }

        await _log.WriteLineAsync($"probe: writing {rate} orders/s for {_options.WriteFor.TotalSeconds:F0} s across {ids.Count} merchants");
        var writer = new OrderWriter(WriterConnection(database), ids, seed, _options.DatabaseProvider);
        var written = 0;
        var writing = TimeSpan.Zero;
        var window = await MeasureAsync(commands, async () =>
        {
            var clock = Stopwatch.StartNew();
            written = await writer.RunAsync(rate, _options.WriteFor, tracker.Expect, CancellationToken.None);
            writing = clock.Elapsed;
            // The window includes the tail: the last orders' deliveries are part of the load.
            await tracker.DrainAsync(DeliveryDrainDeadline);
        });
        var (latencies, missing) = tracker.Results();
        latencies.Sort();
        await _log.WriteLineAsync($"probe: {written} orders written, {latencies.Count} deliveries timed, {missing} missing");
        await _log.WriteLineAsync("probe: write-to-screen by commit time: " + string.Join("; ", tracker.Timeline(TimelineSlice).Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s.From.TotalSeconds:F0} s: p50 {s.P50Ms:F0} p99 {s.P99Ms:F0} ms ({s.Arrived}, {s.Missing} missing)"))));
        return new LoadFigures
        {
            RequestedRate = rate,
            WritingDuration = writing,
            OrdersWritten = written,
            Duration = window.Elapsed,
            CommandsPerSecond = window.CommandsPerSecond,
            PollerCommandsPerSecond = window.PollerCommandsPerSecond,
            AppCpuSeconds = window.CpuSeconds,
            ProbeCpuSeconds = window.ProbeCpuSeconds,
            Expected = latencies.Count + missing,
            Missing = missing,
            LatenciesMs = latencies,
        };
    }

    /// <summary>Once per merchant: password hashing is deliberately slow, and a browser signs in once too.</summary>
    private async Task<IReadOnlyList<MerchantSession>?> SignInAsync(HttpClient http)
    {
        var sessions = new MerchantSession?[_options.Merchants.Count];
        var failed = 0;
        await Parallel.ForAsync(0, sessions.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.SignInConcurrency }, async (i, ct) =>
        {
            if (Volatile.Read(ref failed) > 0)
            {
                return;
            }

            var email = _options.Merchants[i];
            try
            {
                sessions[i] = await MerchantSession.SignInAsync(http, _options.Url, email, _options.Password, ct);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                if (Interlocked.Increment(ref failed) == 1)
                {
                    await _log.WriteLineAsync($"probe: sign-in as {email} at {_options.Url} failed: {FailureTally.Describe(e)}");
                }
            }
        });
        return failed > 0 ? null : sessions.Select(s => s!).ToList();
    }

    private async Task<List<ProbeCircuit>> OpenAllAsync(IReadOnlyList<MerchantSession> sessions)
    {
        using var gate = new SemaphoreSlim(_options.Concurrency);
        using var progressStop = new CancellationTokenSource();
        var progress = ReportProgressAsync(progressStop.Token);
        var opening = new List<Task<ProbeCircuit?>>(_options.Circuits);
        for (var i = 0; i < _options.Circuits; i++)
        {
            await gate.WaitAsync();
            opening.Add(OpenOneAsync(sessions[i % sessions.Count], gate));
        }

        var results = await Task.WhenAll(opening);
        await progressStop.CancelAsync();
        await progress;
        return [.. results.OfType<ProbeCircuit>()];
    }

    private async Task<ProbeCircuit?> OpenOneAsync(MerchantSession session, SemaphoreSlim gate)
    {
        var circuit = await _opener.OpenAsync(session, _options.PagePath, _callbacks, gate);
        if (circuit is not null)
        {
            Interlocked.Increment(ref _held);
        }

        return circuit;
    }

    /// <summary>Closes every socket, <see cref="ProbeOptions.Concurrency"/> at a time; returns how many did not close cleanly.</summary>
    private async Task<int> DisconnectAllAsync(List<ProbeCircuit> held)
    {
        var unclean = 0;
        await Parallel.ForEachAsync(held, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency }, async (circuit, _) =>
        {
            using var deadline = new CancellationTokenSource(DisconnectDeadline);
            try
            {
                await circuit.Client.DisconnectAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                // Counted below: Closed stays unset or unclean.
            }

            if (circuit.Closed is not { IsClean: true })
            {
                Interlocked.Increment(ref unclean);
            }

            await circuit.Client.DisposeAsync();
        });
        return unclean;
    }

    private async Task ReportProgressAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ProgressInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await _log.WriteLineAsync($"probe: {Volatile.Read(ref _held)} held, {_opener.Failures.Total} failed of {_options.Circuits}");
            }
        }
        catch (OperationCanceledException)
        {
            // Start-up finished.
        }
    }

    private static string Describe(CircuitClosed closed) =>
        closed.Error is { } error ? $"server closed: {error}"
        : closed.Exception is { } exception ? FailureTally.Describe(exception)
        : closed.ByClient ? "closed by the probe" : "server closed the connection";
}
