using MerchantPortal.Orders;

namespace MerchantPortal.Tests.Notifications;

/// <summary>
/// The watermark's rule on its own. Rows are (change id, position); positions play the writer's
/// transaction id as on PostgreSQL, where a lower change id can belong to a later-committing transaction.
/// </summary>
public sealed class OrderChangeWatermarkTests
{
    [Fact]
    public void RowsAboveTheBoundAreDeliveredOnceAndTheBoundMovesToTheHorizon()
    {
        var watermark = new OrderChangeWatermark(100);

        var fresh = Accept(watermark, [(1, 100), (2, 101), (3, 101)], horizon: 102);

        Assert.Equal([1L, 2L, 3L], fresh);
        Assert.Equal(102, watermark.Bound);
        Assert.Empty(watermark.DeliveredAboveBound);
    }

    [Fact]
    public void ALowerIdCommittedAfterAHigherOneIsDeliveredByTheFirstReadThatSeesIt()
    {
        var watermark = new OrderChangeWatermark(100);

        // Transaction 100 wrote change 7 and is still open; transaction 101 wrote change 8 and committed.
        Assert.Equal([8L], Accept(watermark, [(8, 101)], horizon: 100));
        Assert.Equal(100, watermark.Bound);
        Assert.Equal([8L], watermark.DeliveredAboveBound);

        // 100 commits: the next read shows 7 (and 8 again if the reader did not leave it out).
        Assert.Equal([7L], Accept(watermark, [(7, 100), (8, 101)], horizon: 102));
        Assert.Equal(102, watermark.Bound);
        Assert.Empty(watermark.DeliveredAboveBound);
    }

    [Fact]
    public void AnOpenTransactionHoldsBackOnlyTheBoundNeverTheDelivery()
    {
        var watermark = new OrderChangeWatermark(100);

        // Transaction 100 stays open (idle in transaction) while later writers commit one after another.
        Assert.Equal([2L], Accept(watermark, [(2, 101)], horizon: 100));
        Assert.Equal([3L], Accept(watermark, [(2, 101), (3, 102)], horizon: 100));
        Assert.Equal([4L, 5L], Accept(watermark, [(3, 102), (4, 103), (5, 103)], horizon: 100));

        Assert.Equal(100, watermark.Bound);
        Assert.Equal([2L, 3L, 4L, 5L], watermark.DeliveredAboveBound.Order());
    }

    [Fact]
    public void ARolledBackTransactionIsPassedAsSoonAsTheHorizonDoesWithoutWaiting()
    {
        var watermark = new OrderChangeWatermark(100);
        Accept(watermark, [(9, 101)], horizon: 100); // transaction 100 (change 8) is open

        // 100 rolled back: its row never appears, and the horizon alone moves the bound past it.
        Assert.Empty(Accept(watermark, [(9, 101)], horizon: 102));

        Assert.Equal(102, watermark.Bound);
        Assert.Empty(watermark.DeliveredAboveBound);
    }

    [Fact]
    public void AReadCutByTheBatchSizeKeepsTheBoundUntilAReadIsComplete()
    {
        var watermark = new OrderChangeWatermark(100);

        Assert.Equal([1L, 2L], Accept(watermark, [(1, 100), (2, 100)], horizon: 105, complete: false));
        Assert.Equal(100, watermark.Bound);

        Assert.Equal([3L], Accept(watermark, [(3, 104)], horizon: 105));
        Assert.Equal(105, watermark.Bound);
    }

    [Fact]
    public void RowsBelowTheBoundAndAnOlderHorizonAreIgnored()
    {
        var watermark = new OrderChangeWatermark(100);

        Assert.Empty(Accept(watermark, [(1, 99)], horizon: 90));

        Assert.Equal(100, watermark.Bound);
    }

    [Fact]
    public void WhereTheIdIsThePositionTheHighestIdIsTheHorizon()
    {
        // SQLite: writers are serialised, so the change id is the position and every visible row is final.
        var watermark = new OrderChangeWatermark(11);

        Assert.Equal([11L, 12L], Accept(watermark, [(12, 12), (11, 11)], horizon: 13));

        Assert.Equal(13, watermark.Bound);
    }

    private static List<long> Accept(OrderChangeWatermark watermark, (long Id, long Position)[] rows, long horizon, bool complete = true) =>
        [.. watermark.Accept(rows, r => r.Id, r => r.Position, horizon, complete).Select(r => r.Id)];
}
