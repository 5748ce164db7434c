using System.Text.Json;

namespace MerchantPortal.Bench.Probe;

/// <summary>The live objects of one type name after a full GC: how many, and their shallow size in bytes.</summary>
public sealed record HeapTypeEntry(string TypeName, long Count, long Bytes);

/// <summary>
/// A managed heap broken down by type, as walked by the runtime during one induced full GC.
/// Shallow sizes only: an object's own bytes, not what it keeps alive. Type names are the runtime's: generic
/// arguments in brackets, and a nested type by its own name only (Dictionary's "Entry[K,V][]").
/// <see cref="HeapBytesAfterGc"/> is the runtime's generation sizes after the same GC, for comparison, not a bound:
/// it counts free space between objects (a loaded app's is larger than the walk's total), while the walk of a
/// small test process came out a few percent above it. <see cref="EventsLost"/> above zero means the walk was not
/// fully received and the totals fall short.
/// </summary>
public sealed record HeapTypes(
    int Pid,
    DateTimeOffset TakenAt,
    long TotalCount,
    long TotalBytes,
    long? HeapBytesAfterGc,
    long EventsLost,
    IReadOnlyList<HeapTypeEntry> Types)
{
    // Indented so two snapshots can also be compared by eye or with a text diff.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Builds the table from per-type tallies, largest first; totals are the sums of the rows.</summary>
    public static HeapTypes From(int pid, DateTimeOffset takenAt, long? heapBytesAfterGc, long eventsLost, IEnumerable<HeapTypeEntry> rows)
    {
        // Distinct type ids can share a name (one type loaded twice, or an id the walk never named twice over).
        var types = rows
            .GroupBy(r => r.TypeName, StringComparer.Ordinal)
            .Select(g => new HeapTypeEntry(g.Key, g.Sum(r => r.Count), g.Sum(r => r.Bytes)))
            .OrderByDescending(t => t.Bytes)
            .ThenBy(t => t.TypeName, StringComparer.Ordinal)
            .ToArray();
        return new HeapTypes(pid, takenAt, types.Sum(t => t.Count), types.Sum(t => t.Bytes), heapBytesAfterGc, eventsLost, types);
    }

    public async Task SaveAsync(string path)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, Json);
    }

    /// <summary>Reads a snapshot written by <see cref="SaveAsync"/>; null and a reason for anything else.</summary>
    public static async Task<(HeapTypes? Types, string Error)> LoadAsync(string path)
    {
        try
        {
            await using var file = File.OpenRead(path);
            var types = await JsonSerializer.DeserializeAsync<HeapTypes>(file, Json);
            return types?.Types is { } rows && rows.All(r => r?.TypeName is not null)
                ? (types, "")
                : (null, $"{path}: not a heap-types snapshot (no type list)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return (null, $"{path}: {e.GetType().Name}: {e.Message}");
        }
    }
}

/// <summary>A snapshot, or why it could not be taken.</summary>
public readonly record struct HeapTypesReading(HeapTypes? Types, string? Unavailable)
{
    public static HeapTypesReading Failed(string reason) => new(null, reason);
}
