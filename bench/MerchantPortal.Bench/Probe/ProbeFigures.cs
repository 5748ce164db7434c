namespace MerchantPortal.Bench.Probe;

/// <summary>What one probe run measured; memory in bytes, null where it could not be read.</summary>
public sealed record ProbeFigures
{
    public required int Requested { get; init; }
    public required int Held { get; init; }
    public required int DroppedDuringHold { get; init; }
    public required IReadOnlyList<(string Reason, int Count)> Failures { get; init; }
    public required int Merchants { get; init; }
    public required TimeSpan StartupDuration { get; init; }
    public required TimeSpan HoldDuration { get; init; }
    public required long PingsSent { get; init; }
    public required int UncleanDisconnects { get; init; }
    public long? AppRssBefore { get; init; }
    public long? AppRssHeld { get; init; }
    public long? AppRssAfter { get; init; }
    public double? AppCpuSecondsDuringHold { get; init; }

    /// <summary>Managed heap after a full GC, read after sign-in before the circuits open and at the end of the hold.</summary>
    public ManagedHeapReading? AppHeapBefore { get; init; }
    public ManagedHeapReading? AppHeapHeld { get; init; }

    /// <summary>
    /// The harness's own process (this one): the load client shares the machine's cores with the app, so a
    /// heavier client would distort every other figure. RSS after sign-in and with the circuits held.
    /// </summary>
    public long? ProbeRssBefore { get; init; }
    public long? ProbeRssHeld { get; init; }
    public long? ProbeRssAfter { get; init; }

    /// <summary>The harness's managed heap after a full GC, before the circuits open and at the end of the idle hold.</summary>
    public long? ProbeHeapBefore { get; init; }
    public long? ProbeHeapHeld { get; init; }

    /// <summary>The harness's CPU time while it opened the circuits, and during the idle hold.</summary>
    public double? ProbeCpuSecondsDuringStartup { get; init; }
    public double? ProbeCpuSecondsDuringHold { get; init; }

    /// <summary>SQL commands per second the app issued during the idle hold (its merchantportal.db.commands counter).</summary>
    public double? IdleCommandsPerSecond { get; init; }

    /// <summary>The change poller's part of <see cref="IdleCommandsPerSecond"/> (the counter's source tag).</summary>
    public double? IdlePollerCommandsPerSecond { get; init; }

    /// <summary>The first write window, when the probe had a database to write to.</summary>
    public LoadFigures? Load { get; init; }

    /// <summary>Every write window, one per asked rate in order (the first is <see cref="Load"/>).</summary>
    public IReadOnlyList<LoadFigures> Loads { get; init; } = [];
}

/// <summary>The write phase: orders inserted by another writer at a set rate, and how fast the circuits showed them.</summary>
public sealed record LoadFigures
{
    public required int OrdersWritten { get; init; }

    /// <summary>Orders per second asked of the writer; 0 in figures from before it was recorded.</summary>
    public int RequestedRate { get; init; }

    /// <summary>How long the writer wrote (the window without the delivery tail): orders written ÷ this is the achieved rate.</summary>
    public TimeSpan WritingDuration { get; init; }

    public double? AchievedRate => WritingDuration > TimeSpan.Zero ? OrdersWritten / WritingDuration.TotalSeconds : null;

    /// <summary>The whole window: writing and the delivery tail.</summary>
    public required TimeSpan Duration { get; init; }
    public double? CommandsPerSecond { get; init; }

    /// <summary>The change poller's part of <see cref="CommandsPerSecond"/>: what issue 16 bounds at 200/s per node.</summary>
    public double? PollerCommandsPerSecond { get; init; }
    public double? AppCpuSeconds { get; init; }

    /// <summary>The harness's own CPU time in the window, its order writer included.</summary>
    public double? ProbeCpuSeconds { get; init; }

    /// <summary>(order, circuit) pairs expected: each order to every open circuit of its merchant.</summary>
    public required int Expected { get; init; }
    public required int Missing { get; init; }

    /// <summary>Commit-to-render milliseconds of every delivery that arrived, sorted.</summary>
    public required IReadOnlyList<double> LatenciesMs { get; init; }

    /// <summary>Nearest-rank percentile of the sorted latencies; null without any.</summary>
    public double? Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p / 100 * LatenciesMs.Count);
        return LatenciesMs[Math.Clamp(rank - 1, 0, LatenciesMs.Count - 1)];
    }
}
