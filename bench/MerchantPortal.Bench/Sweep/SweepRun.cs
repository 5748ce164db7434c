using System.Globalization;

namespace MerchantPortal.Bench.Sweep;

/// <summary>One app process of a sweep: which size, mode and repeat it measures, and where it stands in the whole sweep.</summary>
public sealed record SweepRun(int Number, int Total, int Size, SweepMode Mode, int Repeat, int Repeats)
{
    /// <summary>"[run 3/12] size 5000 push:1s repeat 1/3", the sweep's progress line.</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture,
        $"[run {Number}/{Total}] size {Size} {Mode.Name} repeat {Repeat}/{Repeats}");

    /// <summary>
    /// Every run of the sweep in the order they happen: repeats outermost, so repeat 1 of every
    /// (size, mode) runs before repeat 2 of any, and a drifting machine spreads over all cells rather
    /// than landing on the last ones. Within a repeat, sizes in the order given, each with every mode.
    /// </summary>
    public static IReadOnlyList<SweepRun> Plan(SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var total = options.Repeats * options.Sizes.Count * options.Modes.Count;
        var runs = new List<SweepRun>(total);
        for (var repeat = 1; repeat <= options.Repeats; repeat++)
        {
            foreach (var size in options.Sizes)
            {
                foreach (var mode in options.Modes)
                {
                    runs.Add(new SweepRun(runs.Count + 1, total, size, mode, repeat, options.Repeats));
                }
            }
        }

        return runs;
    }
}
