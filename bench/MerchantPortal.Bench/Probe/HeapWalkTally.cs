using System.Globalization;
using System.Runtime.InteropServices;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// The heap-walk events of one EventPipe session folded into per-type tallies as they arrive, so millions of
/// objects cost one dictionary entry per type rather than one per object. Kept apart from the event plumbing so
/// the bookkeeping (which GC walked, unnamed types) can be checked without a runtime.
/// </summary>
public sealed class HeapWalkTally
{
    private readonly Dictionary<ulong, string> _names = [];
    private readonly Dictionary<ulong, (long Count, long Bytes)> _byTypeId = [];
    private readonly Dictionary<int, long> _heapBytesByGc = [];
    private int _lastGc = -1;
    private int? _walkGc;
    private bool _walkSeen;

    /// <summary>True once the GC that did the walk has ended: every object has been reported by then.</summary>
    public bool Finished { get; private set; }

    public void GcStarted(int gcNumber) => _lastGc = gcNumber;

    /// <summary>
    /// The runtime's heap size at the end of a GC. It follows that GC's end event (it is not numbered itself), so
    /// it belongs to the GC that last started or ended; the first one for each GC counts.
    /// </summary>
    public void HeapStats(long bytes) => _heapBytesByGc.TryAdd(_lastGc, bytes);

    public void Name(ulong typeId, string typeName) => _names[typeId] = typeName;

    public void Node(ulong typeId, long size)
    {
        if (!_walkSeen)
        {
            // Objects are only reported during the induced GC, so the GC under way is the one to wait for.
            _walkSeen = true;
            _walkGc = _lastGc < 0 ? null : _lastGc;
        }

        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_byTypeId, typeId, out _);
        tally = (tally.Count + 1, tally.Bytes + size);
    }

    /// <summary>Returns true when the GC that ended is the one that walked the heap (the first time only).</summary>
    public bool GcEnded(int gcNumber)
    {
        _lastGc = gcNumber;
        // Without a GCStart before the objects (the session began mid-GC), the next GC end closes the walk.
        if (Finished || !_walkSeen || (_walkGc is { } walkGc && walkGc != gcNumber))
        {
            return false;
        }

        Finished = true;
        return true;
    }

    public HeapTypes ToHeapTypes(int pid, DateTimeOffset takenAt, long eventsLost)
    {
        long? heapBytes = _walkGc is { } gc && _heapBytesByGc.TryGetValue(gc, out var bytes) ? bytes : null;
        return HeapTypes.From(pid, takenAt, heapBytes, eventsLost, _byTypeId.Select(t => new HeapTypeEntry(
            _names.TryGetValue(t.Key, out var name) ? name : UnnamedType(t.Key), t.Value.Count, t.Value.Bytes)));
    }

    /// <summary>A type id no GCBulkType event named (events lost, or a runtime that did not send it).</summary>
    public static string UnnamedType(ulong typeId) => "?" + typeId.ToString("x", CultureInfo.InvariantCulture);
}
