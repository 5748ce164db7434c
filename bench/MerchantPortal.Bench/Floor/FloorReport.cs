using System.Globalization;
using System.Text;
using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Floor;

/// <summary>The floor command's text: every run, medians with ranges, the ratio, and the types above the floor.</summary>
internal static class FloorReport
{
    private const int TopTypes = 40;

    public static string Format(FloorOptions options, IReadOnlyList<FloorPhase> phases)
    {
        var text = new StringBuilder();
        Line(text, $"floor: {options.Circuits:N0} circuits per run ({options.Merchants:N0} merchants for the dashboards), {options.Repeats} interleaved repeats, settle {options.Settle.TotalSeconds:F0} s, idle window {options.Idle.TotalSeconds:F0} s");
        Line(text, "heap = the runtime's heap after a full GC (free space included, as the sweep's column); live = the heap walk's live objects (shallow, as heap-types)");
        Line(text, "");
        Line(text, "| run | repeat | held / failed / dropped | heap KiB/circuit | live KiB/circuit | CPU % idle |");
        Line(text, "|---|--:|--:|--:|--:|--:|");
        foreach (var p in phases)
        {
            Line(text, $"| {p.Kind} | {p.Repeat} | {p.Held:N0} / {p.Failed:N0} / {p.Dropped:N0} | {p.HeapKiBPerCircuit:F1} | {p.LiveKiBPerCircuit:F1} | {p.IdleCpuPercent:F1} |");
            if (p.Failures.Length > 0)
            {
                Line(text, $"|   failures: {p.Failures} |");
            }
        }

        var floor = phases.Where(p => p.Kind == "floor").ToList();
        var kinds = phases.Select(p => p.Kind).Where(k => k != "floor").Distinct().ToList();
        if (floor.Count == 0 || kinds.Count == 0)
        {
            return text.ToString();
        }

        var app = phases.Where(p => p.Kind == kinds[0]).ToList();
        foreach (var (kind, against) in kinds.Select(k => (k, "floor")).Concat(kinds.Skip(1).Select(k => (k, kinds[0]))))
        {
            var runs = phases.Where(p => p.Kind == kind).ToList();
            var baseline = phases.Where(p => p.Kind == against).ToList();
            Line(text, "");
            Line(text, $"| {kind} against {against} | {against} | {kind} | ratio (per repeat) |");
            Line(text, "|---|--:|--:|--:|");
            Row(text, "heap KiB/circuit", baseline, runs, p => p.HeapKiBPerCircuit);
            Row(text, "live KiB/circuit", baseline, runs, p => p.LiveKiBPerCircuit);
            Row(text, "CPU % idle", baseline, runs, p => p.IdleCpuPercent);
        }

        Line(text, "");
        Line(text, $"{app[0].Kind} above the floor by type (bytes per circuit, mean of the repeats; top {TopTypes} by excess):");
        Line(text, $"{"dashboard",10} {"floor",10} {"excess",10}  type");
        var appTypes = PerCircuit(app);
        var floorTypes = PerCircuit(floor);
        var excess = appTypes.Keys.Union(floorTypes.Keys)
            .Select(t => (Type: t, App: appTypes.GetValueOrDefault(t), Floor: floorTypes.GetValueOrDefault(t)))
            .OrderByDescending(t => t.App - t.Floor)
            .ToList();
        foreach (var (type, a, f) in excess.Take(TopTypes))
        {
            Line(text, $"{a,10:N0} {f,10:N0} {a - f,10:N0}  {type}");
        }

        Line(text, $"{appTypes.Values.Sum(),10:N0} {floorTypes.Values.Sum(),10:N0} {appTypes.Values.Sum() - floorTypes.Values.Sum(),10:N0}  total, all types");
        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, List<FloorPhase> floor, List<FloorPhase> app, Func<FloorPhase, double?> figure)
    {
        var f = Spread.OfMeasured(floor.Select(figure));
        var a = Spread.OfMeasured(app.Select(figure));
        double? Ratio(FloorPhase p) =>
            floor.FirstOrDefault(q => q.Repeat == p.Repeat) is { } q && figure(q) is > 0 and double d && figure(p) is double n ? n / d : null;
        var ratios = Spread.OfMeasured(app.Select(Ratio));
        Line(text, $"| {name} | {Show(f, "F1")} | {Show(a, "F1")} | {Show(ratios, "F2")}× |");
    }

    private static string Show(Spread? s, string format) =>
        s is not { } v ? "–"
        : v.Min == v.Max ? v.Median.ToString(format, CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{v.Median.ToString(format, CultureInfo.InvariantCulture)} ({v.Min.ToString(format, CultureInfo.InvariantCulture)}–{v.Max.ToString(format, CultureInfo.InvariantCulture)})");

    /// <summary>Each type's growth per held circuit, averaged over the runs.</summary>
    private static Dictionary<string, double> PerCircuit(List<FloorPhase> runs)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var run in runs.Where(r => r.Held > 0 && r.Types.Count > 0))
        {
            foreach (var change in run.Types)
            {
                sums[change.TypeName] = sums.GetValueOrDefault(change.TypeName) + (double)change.BytesDelta / run.Held;
            }
        }

        var count = Math.Max(1, runs.Count(r => r.Held > 0 && r.Types.Count > 0));
        return sums.ToDictionary(kv => kv.Key, kv => kv.Value / count, StringComparer.Ordinal);
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
