using System.Globalization;

namespace MerchantPortal.Bench.Sweep;

/// <summary>One app process of a sweep: which size, database, mode and repeat it measures, and where it stands in the whole sweep.</summary>
public sealed record SweepRun(int Number, int Total, int Size, SweepMode Mode, int Repeat, int Repeats, SweepDatabase Database = SweepDatabase.Sqlite)
{
    /// <summary>"[run 3/12] size 5000 postgres push:1s repeat 1/3", the sweep's progress line.</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture,
        $"[run {Number}/{Total}] size {Size} {Database.Name()} {Mode.Name} repeat {Repeat}/{Repeats}");

    /// <summary>
    /// Every run of the sweep in the order they happen: repeats outermost, so repeat 1 of every
    /// (size, database, mode) runs before repeat 2 of any, and a drifting machine spreads over all cells
    /// rather than landing on the last ones. Within a repeat, sizes in the order given, each on every
    /// database with every mode; a notify mode runs on PostgreSQL only (SQLite has no NOTIFY).
    /// </summary>
    public static IReadOnlyList<SweepRun> Plan(SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cells = (from size in options.Sizes
                     from database in options.Databases
                     from mode in options.Modes
                     where !mode.Notify || database == SweepDatabase.Postgres
                     select (size, database, mode)).ToList();
        var total = options.Repeats * cells.Count;
        var runs = new List<SweepRun>(total);
        for (var repeat = 1; repeat <= options.Repeats; repeat++)
        {
            foreach (var (size, database, mode) in cells)
            {
                runs.Add(new SweepRun(runs.Count + 1, total, size, mode, repeat, options.Repeats, database));
            }
        }

        return runs;
    }
}
