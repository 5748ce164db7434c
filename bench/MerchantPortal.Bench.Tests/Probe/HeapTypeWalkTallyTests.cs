using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

/// <summary>The bookkeeping behind <see cref="HeapTypeSnapshot"/>, fed events by hand.</summary>
public sealed class HeapTypeWalkTallyTests
{
    [Fact]
    public void ObjectsAreTalliedPerTypeAndUnnamedTypesShowTheirId()
    {
        var walk = new HeapWalkTally();
        walk.GcStarted(7);
        walk.Node(0x10, 24);
        walk.Node(0x20, 100);
        walk.Node(0x10, 24);
        walk.Node(0xbeef, 8);
        // Type names may arrive after the objects that use them.
        walk.Name(0x10, "A");
        walk.Name(0x20, "B");
        Assert.True(walk.GcEnded(7));
        walk.HeapStats(10_000);

        var types = walk.ToHeapTypes(42, DateTimeOffset.UnixEpoch, eventsLost: 0);

        Assert.Equal([new("B", 1, 100), new("A", 2, 48), new("?beef", 1, 8)], types.Types);
        Assert.Equal(4, types.TotalCount);
        Assert.Equal(156, types.TotalBytes);
        Assert.Equal(10_000, types.HeapBytesAfterGc);
        Assert.Equal(42, types.Pid);
    }

    [Fact]
    public void TypeIdsSharingANameAreOneRow()
    {
        var walk = new HeapWalkTally();
        walk.Name(1, "Same");
        walk.Name(2, "Same");
        walk.Node(1, 10);
        walk.Node(2, 30);

        Assert.Equal([new("Same", 2, 40)], walk.ToHeapTypes(1, DateTimeOffset.UnixEpoch, 0).Types);
    }

    [Fact]
    public void OnlyTheEndOfTheGcThatWalkedTheHeapFinishesTheWalk()
    {
        var walk = new HeapWalkTally();
        walk.GcStarted(3);
        Assert.False(walk.GcEnded(3)); // a GC without objects reported is not the walk
        walk.HeapStats(111);
        walk.GcStarted(4);
        walk.Node(1, 10);
        Assert.False(walk.GcEnded(3));
        Assert.False(walk.Finished);
        Assert.True(walk.GcEnded(4));
        Assert.False(walk.GcEnded(4)); // reported once
        // The runtime sends a GC's heap statistics right after its end event; a later GC's do not replace them.
        walk.HeapStats(222);
        walk.GcStarted(5);
        walk.GcEnded(5);
        walk.HeapStats(333);

        Assert.True(walk.Finished);
        Assert.Equal(222, walk.ToHeapTypes(1, DateTimeOffset.UnixEpoch, 0).HeapBytesAfterGc);
    }

    [Fact]
    public void HeapStatsOfAnotherGcAreNotTakenForTheWalks()
    {
        var walk = new HeapWalkTally();
        walk.GcStarted(3);
        walk.GcEnded(3);
        walk.HeapStats(111);
        walk.GcStarted(4);
        walk.Node(1, 10);
        Assert.True(walk.GcEnded(4));

        Assert.Null(walk.ToHeapTypes(1, DateTimeOffset.UnixEpoch, 0).HeapBytesAfterGc);
    }

    [Fact]
    public void WithoutAGcStartTheNextGcEndFinishesTheWalk()
    {
        var walk = new HeapWalkTally();
        walk.Node(1, 10);

        Assert.True(walk.GcEnded(9));
        Assert.Equal(10, walk.ToHeapTypes(1, DateTimeOffset.UnixEpoch, 0).TotalBytes);
    }
}
