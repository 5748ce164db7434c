using System.Globalization;
using System.Text;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Soak;

/// <summary>The app read from outside with no circuit open: before the churn (after warm-up) and after it.</summary>
public sealed record SoakReading(long Subscribers, ManagedHeapReading Heap, AppFds? Fds, long? RssBytes, TimeSpan Settled)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Subscribers} subscribers, heap {SoakFigures.MiB(Heap.Bytes)}{(Heap.Unavailable is { } why ? $" ({why})" : "")}, fds {Fds}, RSS {SoakFigures.MiB(RssBytes)}, settled in {Settled.TotalSeconds:F1} s");
}

/// <summary>What a soak run measured, and whether the invariants held.</summary>
public sealed class SoakFigures
{
    /// <summary>The heap may end this much above where it started (the issue's 10%, <c>--heap-tolerance</c>).</summary>
    public required double HeapTolerance { get; init; }

    public required int Cycles { get; init; }

    public required int Warmup { get; init; }

    public required int Concurrency { get; init; }

    public required int Completed { get; init; }

    public required IReadOnlyList<(string Reason, int Count)> Failures { get; init; }

    public required TimeSpan ChurnDuration { get; init; }

    public required int OpenPeak { get; init; }

    public required int OrdersWritten { get; init; }

    public required int DeliveriesExpected { get; init; }

    public required int Missed { get; init; }

    public required IReadOnlyList<double> LatenciesMs { get; init; }

    public required int BeaconsRefused { get; init; }

    public required SoakReading Start { get; init; }

    public required SoakReading End { get; init; }

    public required int Errors { get; init; }

    public required int Warnings { get; init; }

    public required IReadOnlyList<string> LogMessages { get; init; }

    public double? HeapGrowth => Start.Heap.Bytes is { } before && End.Heap.Bytes is { } after ? (double)(after - before) / before : null;

    /// <summary>Every invariant that did not hold, in words; empty when the soak passed.</summary>
    public IReadOnlyList<string> Broken()
    {
        List<string> broken = [];
        if (Failures.Count > 0)
        {
            broken.Add($"{Failures.Sum(f => f.Count)} cycles failed");
        }

        if (End.Subscribers != 0)
        {
            broken.Add($"the notifier still has {End.Subscribers} subscribers");
        }

        if (HeapGrowth is not { } growth)
        {
            broken.Add("the managed heap could not be read");
        }
        else if (growth > HeapTolerance)
        {
            broken.Add(string.Create(CultureInfo.InvariantCulture, $"the managed heap grew {growth:P1} (more than {HeapTolerance:P0})"));
        }

        if (Start.Fds is null || End.Fds?.Other != Start.Fds?.Other)
        {
            broken.Add($"open file descriptors (besides the database pool) {Start.Fds?.Other} at the start, {End.Fds?.Other} at the end");
        }

        if (Errors > 0)
        {
            broken.Add($"the app logged {Errors} errors");
        }

        if (Missed > 0)
        {
            broken.Add($"{Missed} deliveries to open circuits were missed");
        }

        if (BeaconsRefused > 0)
        {
            broken.Add($"the app refused {BeaconsRefused} disconnect beacons");
        }

        return broken;
    }

    public string Format()
    {
        var text = new StringBuilder();
        Line(text, $"cycles           {Completed:N0} of {Cycles:N0} after a {Warmup:N0}-cycle warm-up, {Concurrency} workers, peak {OpenPeak} open at once");
        Line(text, $"churn            {ChurnDuration.TotalSeconds:F0} s, {Completed / ChurnDuration.TotalSeconds:F1} cycles/s");
        Line(text, $"orders           {OrdersWritten:N0} written, {DeliveriesExpected:N0} deliveries to open circuits expected, {Missed} missed");
        if (LatenciesMs.Count > 0)
        {
            Line(text, $"delivery ms      median {Percentile(0.5):F0}, p99 {Percentile(0.99):F0}, max {LatenciesMs[^1]:F0} (commit to render batch)");
        }

        Line(text, $"subscribers      {Start.Subscribers} -> {End.Subscribers}");
        Line(text, $"managed heap     {MiB(Start.Heap.Bytes)} -> {MiB(End.Heap.Bytes)} ({HeapGrowth:+0.0%;-0.0%}) after a full GC");
        Line(text, $"open fds         {Start.Fds} -> {End.Fds}");
        Line(text, $"RSS              {MiB(Start.RssBytes)} -> {MiB(End.RssBytes)}");
        Line(text, $"app log          {Errors} errors, {Warnings} warnings");
        foreach (var message in LogMessages)
        {
            Line(text, $"  {message}");
        }

        foreach (var (reason, count) in Failures)
        {
            Line(text, $"failed           {count} x {reason}");
        }

        var broken = Broken();
        Line(text, $"verdict          {(broken.Count == 0 ? "held" : "BROKEN: " + string.Join("; ", broken))}");
        return text.ToString();
    }

    internal static string MiB(long? bytes) =>
        bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1024.0 / 1024.0:F1} MiB") : "n/a";

    private double Percentile(double p) => LatenciesMs[(int)Math.Min(LatenciesMs.Count - 1, Math.Floor(p * LatenciesMs.Count))];

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
