using System.Diagnostics;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Floor;

/// <summary>What N idle circuits cost one app process: heap after a full GC (the runtime's figure and the heap walk's, by type) and idle CPU.</summary>
internal sealed record FloorPhase(
    string Kind, int Repeat, int Circuits, int Held, int Failed, int Dropped,
    double? HeapKiBPerCircuit, double? LiveKiBPerCircuit, double? IdleCpuPercent,
    IReadOnlyList<HeapTypeChange> Types, string Failures)
{
    private static readonly TimeSpan SnapshotTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Heap-by-type snapshot, circuits opened, settle, idle window, snapshot again, circuits closed.</summary>
    public static async Task<FloorPhase> MeasureAsync(
        string kind, int repeat, int pid, int circuits, TimeSpan settle, TimeSpan idle, Func<Task<CircuitSet>> open, TextWriter log)
    {
        var before = await HeapTypeSnapshot.TakeAsync(pid, SnapshotTimeout);
        var clock = Stopwatch.StartNew();
        await using var set = await open();
        await log.WriteLineAsync($"floor: {kind} #{repeat}: {set.Held.Count} of {circuits} circuits held after {clock.Elapsed.TotalSeconds:F1} s");
        await Task.Delay(settle);
        var cpuBefore = ProcStats.ReadCpuSeconds(pid);
        clock.Restart();
        await Task.Delay(idle);
        var cpu = ProcStats.ReadCpuSeconds(pid) - cpuBefore;
        var seconds = clock.Elapsed.TotalSeconds;
        var after = await HeapTypeSnapshot.TakeAsync(pid, SnapshotTimeout);
        var held = set.Held.Count;
        var failures = string.Join("; ", set.Failures.Grouped().Select(f => $"{f.Count} × {f.Reason}"));
        if (before.Types is null || after.Types is null)
        {
            await log.WriteLineAsync($"floor: {kind} #{repeat}: heap snapshot failed: {before.Unavailable ?? after.Unavailable}");
        }

        double? PerCircuit(long? bytes) => held > 0 && bytes is { } b ? b / 1024.0 / held : null;
        return new FloorPhase(kind, repeat, circuits, held, circuits - held, set.Dropped,
            PerCircuit(after.Types?.HeapBytesAfterGc - before.Types?.HeapBytesAfterGc),
            PerCircuit(after.Types?.TotalBytes - before.Types?.TotalBytes),
            cpu / seconds * 100,
            before.Types is { } b0 && after.Types is { } a0 ? HeapTypeDiff.Compute(b0, a0) : [],
            failures);
    }
}
