namespace MerchantPortal.Bench.Probe;

/// <summary>How one type's live objects changed between two snapshots (after minus before).</summary>
public sealed record HeapTypeChange(string TypeName, long CountDelta, long BytesDelta);

/// <summary>Two snapshots of one process compared type by type, to see what a known amount of work left behind.</summary>
public static class HeapTypeDiff
{
    /// <summary>Every type in either snapshot, the one whose bytes grew most first; a type missing on one side counts as zero there.</summary>
    public static IReadOnlyList<HeapTypeChange> Compute(HeapTypes before, HeapTypes after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        foreach (var (type, sign) in before.Types.Select(t => (t, -1)).Concat(after.Types.Select(t => (t, 1))))
        {
            var (count, bytes) = changes.GetValueOrDefault(type.TypeName);
            changes[type.TypeName] = (count + sign * type.Count, bytes + sign * type.Bytes);
        }

        return changes
            .Select(c => new HeapTypeChange(c.Key, c.Value.Count, c.Value.Bytes))
            .OrderByDescending(c => c.BytesDelta)
            .ThenByDescending(c => c.CountDelta)
            .ThenBy(c => c.TypeName, StringComparer.Ordinal)
            .ToArray();
    }
}
