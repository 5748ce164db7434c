using System.Globalization;
using System.Text;

namespace MerchantPortal.Bench.Probe;

/// <summary>Plain-text tables of a heap-types snapshot and of two compared, one type a line, widest figure first.</summary>
public static class HeapTypesReport
{
    private const double KiB = 1024;
    private const double MiB = 1024 * 1024;
    private const string Signed = "+#,0;-#,0;0";
    private const string SignedFraction = "+#,0.0;-#,0.0;0.0";

    public static string FormatTop(HeapTypes types, int top)
    {
        ArgumentNullException.ThrowIfNull(types);
        var text = new StringBuilder();
        Line(text, $"pid {types.Pid}, taken {types.TakenAt:u}: {types.TotalCount:N0} objects, {types.TotalBytes:N0} bytes ({types.TotalBytes / MiB:F1} MiB) in {types.Types.Count:N0} types");
        Context(text, "", types);
        Line(text, $"{"count",12} {"bytes",15}  type (top {Math.Min(top, types.Types.Count)} by bytes)");
        foreach (var type in types.Types.OrderByDescending(t => t.Bytes).ThenBy(t => t.TypeName, StringComparer.Ordinal).Take(top))
        {
            Line(text, $"{type.Count,12:N0} {type.Bytes,15:N0}  {type.TypeName}");
        }

        Line(text, $"{types.TotalCount,12:N0} {types.TotalBytes,15:N0}  total");
        return text.ToString();
    }

    /// <summary>The types whose bytes grew most; <paramref name="per"/> divides the changes (e.g. by circuits opened in between).</summary>
    public static string FormatDiff(string beforeName, HeapTypes before, string afterName, HeapTypes after, int? per, int top)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var text = new StringBuilder();
        Side(text, "before", beforeName, before);
        Side(text, "after ", afterName, after);
        if (before.Pid != after.Pid)
        {
            Line(text, $"warning: the snapshots are of different processes (pid {before.Pid} and {after.Pid})");
        }

        var grown = HeapTypeDiff.Compute(before, after).Where(c => c.BytesDelta > 0).ToArray();
        var shown = grown.Take(top).ToArray();
        var perHeader = per is { } n ? string.Create(CultureInfo.InvariantCulture, $" {$"count/{n}",12} {$"bytes/{n}",14}") : "";
        Line(text, $"{"Δcount",12} {"Δbytes",15}{perHeader}  type (top {shown.Length} of {grown.Length} types that grew, by Δbytes)");
        foreach (var change in shown)
        {
            Line(text, $"{change.CountDelta.ToString(Signed, CultureInfo.InvariantCulture),12} {change.BytesDelta.ToString(Signed, CultureInfo.InvariantCulture),15}{PerColumns(change.CountDelta, change.BytesDelta, per)}  {change.TypeName}");
        }

        var countDelta = after.TotalCount - before.TotalCount;
        var bytesDelta = after.TotalBytes - before.TotalBytes;
        Line(text, $"{countDelta.ToString(Signed, CultureInfo.InvariantCulture),12} {bytesDelta.ToString(Signed, CultureInfo.InvariantCulture),15}{PerColumns(countDelta, bytesDelta, per)}  total, all types ({bytesDelta / MiB:+0.0;-0.0;0.0} MiB{PerKiB(bytesDelta, per)})");
        var shownBytes = shown.Sum(c => c.BytesDelta);
        var growth = grown.Sum(c => c.BytesDelta);
        if (growth > 0)
        {
            Line(text, $"the rows above: {shownBytes.ToString(Signed, CultureInfo.InvariantCulture)} bytes = {100.0 * shownBytes / growth:F1} % of the growth of all types that grew ({growth.ToString(Signed, CultureInfo.InvariantCulture)}); types that shrank: {(bytesDelta - growth).ToString(Signed, CultureInfo.InvariantCulture)}");
        }

        return text.ToString();
    }

    private static void Side(StringBuilder text, string label, string name, HeapTypes types)
    {
        Line(text, $"{label}: {name} (pid {types.Pid}, taken {types.TakenAt:u}): {types.TotalCount:N0} objects, {types.TotalBytes:N0} bytes ({types.TotalBytes / MiB:F1} MiB)");
        Context(text, "  ", types);
    }

    /// <summary>What to trust the figures with: the runtime's own heap size, and whether the walk was complete.</summary>
    private static void Context(StringBuilder text, string indent, HeapTypes types)
    {
        if (types.HeapBytesAfterGc is { } heap)
        {
            Line(text, $"{indent}GC heap after the walk's GC: {heap:N0} bytes ({heap / MiB:F1} MiB, free space between objects included)");
        }

        if (types.EventsLost > 0)
        {
            Line(text, $"{indent}warning: {types.EventsLost:N0} events lost; the walk is incomplete and the figures too low");
        }
    }

    private static string PerColumns(long count, long bytes, int? per) => per is { } n
        ? string.Create(CultureInfo.InvariantCulture, $" {((double)count / n).ToString(SignedFraction, CultureInfo.InvariantCulture),12} {((double)bytes / n).ToString(SignedFraction, CultureInfo.InvariantCulture),14}")
        : "";

    private static string PerKiB(long bytes, int? per) => per is { } n
        ? string.Create(CultureInfo.InvariantCulture, $", {bytes / KiB / n:+0.0;-0.0;0.0} KiB for each of the {n}")
        : "";

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
