namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// One (database, number of dashboards, mode, write rate) of a sweep over all its repeated runs: every figure of
/// <see cref="SweepRow"/> as a median with its range; null where no run measured it.
/// </summary>
public sealed record SweepCell
{
    public string Database { get; init; } = "sqlite";
    public int WriteRate { get; init; } = 10;
    public Spread? AchievedRate { get; init; }
    public required string Mode { get; init; }
    public required string Description { get; init; }
    public required int Circuits { get; init; }
    public required int Merchants { get; init; }

    /// <summary>How many runs of this cell finished (a run whose sign-in failed left no row).</summary>
    public required int Runs { get; init; }
    public required Spread Held { get; init; }
    public required Spread Failed { get; init; }
    public required Spread Dropped { get; init; }
    public required Spread StartupPerSecond { get; init; }
    public Spread? HeapPerCircuitKiB { get; init; }
    public Spread? RssPerCircuitKiB { get; init; }
    public Spread? IdleQueriesPerSecond { get; init; }
    public Spread? IdleCpuPercent { get; init; }
    public Spread? WriteQueriesPerSecond { get; init; }
    public Spread? WritePollerQueriesPerSecond { get; init; }
    public Spread? WriteCpuPercent { get; init; }
    public required Spread OrdersWritten { get; init; }
    public required Spread Deliveries { get; init; }
    public required Spread Missing { get; init; }
    public Spread? P50Ms { get; init; }
    public Spread? P95Ms { get; init; }
    public Spread? P99Ms { get; init; }
    public Spread? MaxMs { get; init; }
    public Spread? HarnessHeapPerCircuitKiB { get; init; }
    public Spread? HarnessRssPerCircuitKiB { get; init; }
    public Spread? HarnessStartupCpuMsPerCircuit { get; init; }
    public Spread? HarnessIdleCpuPercent { get; init; }
    public Spread? HarnessWriteCpuPercent { get; init; }

    /// <summary>The rows grouped by (database, dashboards, mode, write rate), in the order each cell first appears.</summary>
    public static IReadOnlyList<SweepCell> Group(IEnumerable<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return [.. rows.GroupBy(r => (r.Database, r.Circuits, r.Mode, r.WriteRate)).Select(g => From([.. g]))];
    }

    /// <exception cref="ArgumentException">No rows, or rows of different cells.</exception>
    public static SweepCell From(IReadOnlyList<SweepRow> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0 || runs.Any(r => r.Circuits != runs[0].Circuits || r.Mode != runs[0].Mode
            || r.Database != runs[0].Database || r.WriteRate != runs[0].WriteRate))
        {
            throw new ArgumentException("A cell is one or more runs of the same database, size, mode and write rate.", nameof(runs));
        }

        Spread All(Func<SweepRow, double> figure) => Spread.Of(runs.Select(figure));
        Spread? Measured(Func<SweepRow, double?> figure) => Spread.OfMeasured(runs.Select(figure));
        var first = runs[0];
        return new SweepCell
        {
            Database = first.Database,
            WriteRate = first.WriteRate,
            AchievedRate = Measured(r => r.AchievedRate),
            Mode = first.Mode,
            Description = first.Description,
            Circuits = first.Circuits,
            Merchants = first.Merchants,
            Runs = runs.Count,
            Held = All(r => r.Held),
            Failed = All(r => r.Failed),
            Dropped = All(r => r.Dropped),
            StartupPerSecond = All(r => r.StartupPerSecond),
            HeapPerCircuitKiB = Measured(r => r.HeapPerCircuitKiB),
            RssPerCircuitKiB = Measured(r => r.RssPerCircuitKiB),
            IdleQueriesPerSecond = Measured(r => r.IdleQueriesPerSecond),
            IdleCpuPercent = Measured(r => r.IdleCpuPercent),
            WriteQueriesPerSecond = Measured(r => r.WriteQueriesPerSecond),
            WritePollerQueriesPerSecond = Measured(r => r.WritePollerQueriesPerSecond),
            WriteCpuPercent = Measured(r => r.WriteCpuPercent),
            OrdersWritten = All(r => r.OrdersWritten),
            Deliveries = All(r => r.Deliveries),
            Missing = All(r => r.Missing),
            P50Ms = Measured(r => r.P50Ms),
            P95Ms = Measured(r => r.P95Ms),
            P99Ms = Measured(r => r.P99Ms),
            MaxMs = Measured(r => r.MaxMs),
            HarnessHeapPerCircuitKiB = Measured(r => r.HarnessHeapPerCircuitKiB),
            HarnessRssPerCircuitKiB = Measured(r => r.HarnessRssPerCircuitKiB),
            HarnessStartupCpuMsPerCircuit = Measured(r => r.HarnessStartupCpuMsPerCircuit),
            HarnessIdleCpuPercent = Measured(r => r.HarnessIdleCpuPercent),
            HarnessWriteCpuPercent = Measured(r => r.HarnessWriteCpuPercent),
        };
    }
}
