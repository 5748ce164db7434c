using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// One write window of one sweep run boiled down to the figures the tables and charts show; null where not
/// measured. A run with several write rates gives one row per rate, sharing the run's idle figures.
/// </summary>
public sealed record SweepRow
{
    /// <summary>"sqlite" or "postgres"; rows of older sweeps read as sqlite.</summary>
    public string Database { get; init; } = "sqlite";
    public required string Mode { get; init; }
    public required string Description { get; init; }
    public required int Circuits { get; init; }
    public required int Merchants { get; init; }

    /// <summary>Which repeat of its (dashboards, mode) cell this run was, from 1; rows of older sweeps read as 1.</summary>
    public int Repeat { get; init; } = 1;
    public required int Held { get; init; }
    public required int Failed { get; init; }
    public required int Dropped { get; init; }
    public required double StartupPerSecond { get; init; }
    public double? HeapPerCircuitKiB { get; init; }
    public double? RssPerCircuitKiB { get; init; }
    public double? IdleQueriesPerSecond { get; init; }
    public double? IdleCpuPercent { get; init; }
    public double? WriteQueriesPerSecond { get; init; }
    /// <summary>The change poller's part of <see cref="WriteQueriesPerSecond"/>; absent in rows of older sweeps.</summary>
    public double? WritePollerQueriesPerSecond { get; init; }
    public double? WriteCpuPercent { get; init; }
    /// <summary>Orders per second asked of the writer in this row's window; rows of older sweeps read as 10, their only rate.</summary>
    public int WriteRate { get; init; } = 10;

    /// <summary>Orders written ÷ the time the writer wrote; below <see cref="WriteRate"/> when the writer could not keep up.</summary>
    public double? AchievedRate { get; init; }
    public int OrdersWritten { get; init; }
    public int Deliveries { get; init; }
    public int Missing { get; init; }
    public double? P50Ms { get; init; }
    public double? P95Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? MaxMs { get; init; }

    /// <summary>The harness's own process; null in rows of sweeps from before it was measured.</summary>
    public double? HarnessHeapPerCircuitKiB { get; init; }
    public double? HarnessRssPerCircuitKiB { get; init; }
    public double? HarnessStartupCpuMsPerCircuit { get; init; }
    public double? HarnessIdleCpuPercent { get; init; }
    public double? HarnessWriteCpuPercent { get; init; }

    /// <summary>One row per write window of the run (one row without figures of writing when it wrote nothing).</summary>
    public static IReadOnlyList<SweepRow> All(SweepDatabase database, SweepMode mode, ProbeFigures figures, int repeat)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return figures.Loads.Count == 0
            ? [From(mode, figures with { Load = null }, repeat) with { Database = database.Name() }]
            : [.. figures.Loads.Select(load => From(mode, figures with { Load = load }, repeat) with { Database = database.Name() })];
    }

    /// <summary>The run's figures with its <see cref="ProbeFigures.Load"/> as the write window.</summary>
    public static SweepRow From(SweepMode mode, ProbeFigures figures, int repeat = 1)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeat);
        var load = figures.Load;
        return new SweepRow
        {
            WriteRate = load is { RequestedRate: > 0 } ? load.RequestedRate : 10,
            AchievedRate = load?.AchievedRate,
            Mode = mode.Name,
            Description = mode.Description,
            Circuits = figures.Requested,
            Merchants = figures.Merchants,
            Repeat = repeat,
            Held = figures.Held,
            Failed = figures.Failures.Sum(f => f.Count),
            Dropped = figures.DroppedDuringHold,
            StartupPerSecond = figures.StartupDuration > TimeSpan.Zero ? figures.Held / figures.StartupDuration.TotalSeconds : 0,
            HeapPerCircuitKiB = ProbeReport.PerCircuitKiB(figures.AppHeapBefore?.Bytes, figures.AppHeapHeld?.Bytes, figures.Held),
            RssPerCircuitKiB = ProbeReport.PerCircuitKiB(figures.AppRssBefore, figures.AppRssHeld, figures.Held),
            IdleQueriesPerSecond = figures.IdleCommandsPerSecond,
            IdleCpuPercent = Percent(figures.AppCpuSecondsDuringHold, figures.HoldDuration),
            WriteQueriesPerSecond = load?.CommandsPerSecond,
            WritePollerQueriesPerSecond = load?.PollerCommandsPerSecond,
            WriteCpuPercent = load is null ? null : Percent(load.AppCpuSeconds, load.Duration),
            OrdersWritten = load?.OrdersWritten ?? 0,
            Deliveries = load?.LatenciesMs.Count ?? 0,
            Missing = load?.Missing ?? 0,
            P50Ms = load?.Percentile(50),
            P95Ms = load?.Percentile(95),
            P99Ms = load?.Percentile(99),
            MaxMs = load is { LatenciesMs.Count: > 0 } ? load.LatenciesMs[^1] : null,
            HarnessHeapPerCircuitKiB = ProbeReport.PerCircuitKiB(figures.ProbeHeapBefore, figures.ProbeHeapHeld, figures.Held),
            HarnessRssPerCircuitKiB = ProbeReport.PerCircuitKiB(figures.ProbeRssBefore, figures.ProbeRssHeld, figures.Held),
            HarnessStartupCpuMsPerCircuit = figures.ProbeCpuSecondsDuringStartup is { } s && figures.Held > 0 ? 1000 * s / figures.Held : null,
            HarnessIdleCpuPercent = Percent(figures.ProbeCpuSecondsDuringHold, figures.HoldDuration),
            HarnessWriteCpuPercent = load is null ? null : Percent(load.ProbeCpuSeconds, load.Duration),
        };
    }

    private static double? Percent(double? cpuSeconds, TimeSpan window) =>
        cpuSeconds is { } cpu && window > TimeSpan.Zero ? 100 * cpu / window.TotalSeconds : null;
}
