using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

public sealed class HeapTypeSnapshotTests
{
    private const int Markers = 10_000;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ObjectsTheProcessHoldsAreCountedUnderTheirTypeName()
    {
        // The test process is itself a .NET process with a diagnostic port, so it can be its own target;
        // the markers are a type nothing else allocates, so their row is exactly what this test holds.
        var held = new HeapTypeSnapshotMarker[Markers];
        for (var i = 0; i < held.Length; i++)
        {
            held[i] = new HeapTypeSnapshotMarker(i);
        }

        var reading = await HeapTypeSnapshot.TakeAsync(Environment.ProcessId, Timeout);
        GC.KeepAlive(held);

        Assert.Null(reading.Unavailable);
        var types = reading.Types!;
        var marker = Assert.Single(types.Types, t => t.TypeName == typeof(HeapTypeSnapshotMarker).FullName);
        Assert.Equal(Markers, marker.Count);
        // An object header, a method table pointer and one long: at least 24 bytes each on 64-bit.
        Assert.InRange(marker.Bytes, Markers * 24L, Markers * 64L);
        Assert.Equal(0, types.EventsLost);
        Assert.Equal(types.Types.Sum(t => t.Bytes), types.TotalBytes);
        Assert.Equal(types.Types.Sum(t => t.Count), types.TotalCount);
        // The runtime's own size for the walk's GC is picked out of the same stream.
        Assert.InRange(types.HeapBytesAfterGc!.Value, 1, long.MaxValue);
        Assert.DoesNotContain(types.Types, t => t.TypeName.StartsWith('?'));
        Assert.Equal(Environment.ProcessId, types.Pid);
    }

    [Fact]
    public async Task AProcessWithoutADiagnosticPortIsReportedUnavailable()
    {
        // pid 1 in a container or on a host is never this user's .NET process.
        var reading = await HeapTypeSnapshot.TakeAsync(1, Timeout);

        Assert.Null(reading.Types);
        Assert.Contains("pid 1", reading.Unavailable, StringComparison.Ordinal);
    }
}

/// <summary>
/// A type only the snapshot test allocates. Top level on purpose: the runtime names a nested type by its own name
/// alone ("Marker", not "HeapTypeSnapshotTests+Marker"), which another assembly's type could share.
/// </summary>
internal sealed class HeapTypeSnapshotMarker(long value)
{
    public long Value { get; } = value;
}
