using MerchantPortal.Orders;

namespace MerchantPortal.Tests.Notifications;

public sealed class OrderChangeWatermarkTests
{
    private static readonly DateTime T0 = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void ContiguousIdsAreDeliveredAndSettled()
    {
        var watermark = new OrderChangeWatermark(10, GapTimeout);

        var fresh = watermark.Accept([11L, 12L, 13L], id => id, T0);

        Assert.Equal([11L, 12L, 13L], fresh);
        Assert.Equal(13, watermark.Settled);
        Assert.Equal(0, watermark.PendingCount);
    }

    [Fact]
    public void AnIdCommittedLateBehindALaterOneIsDeliveredWhenItAppears()
    {
        var watermark = new OrderChangeWatermark(10, GapTimeout);

        Assert.Equal([12L], watermark.Accept([12L], id => id, T0));
        Assert.Equal(10, watermark.Settled); // 11 may still be in an open transaction

        // The next poll reads from 10 again: 12 comes back and must not be delivered twice.
        Assert.Empty(watermark.Accept([12L], id => id, T0.AddSeconds(1)));
        Assert.Equal([11L], watermark.Accept([11L, 12L], id => id, T0.AddSeconds(2)));
        Assert.Equal(12, watermark.Settled);
    }

    [Fact]
    public void AGapOpenLongerThanTheTimeoutIsTakenAsARollback()
    {
        var watermark = new OrderChangeWatermark(10, GapTimeout);
        watermark.Accept([12L, 13L], id => id, T0);

        watermark.Accept([12L, 13L], id => id, T0 + GapTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(10, watermark.Settled);

        watermark.Accept([12L, 13L], id => id, T0 + GapTimeout);
        Assert.Equal(13, watermark.Settled);
        Assert.Equal(1, watermark.AbandonedGaps);
    }

    [Fact]
    public void EachGapGetsItsOwnTimeout()
    {
        var watermark = new OrderChangeWatermark(0, GapTimeout);
        watermark.Accept([2L, 4L], id => id, T0);

        watermark.Accept([2L, 4L], id => id, T0 + GapTimeout);   // gives up on 1
        Assert.Equal(2, watermark.Settled);

        Assert.Equal([3L], watermark.Accept([3L, 4L], id => id, T0 + GapTimeout + TimeSpan.FromSeconds(1)));
        Assert.Equal(4, watermark.Settled);
    }

    [Fact]
    public void RowsAtOrBelowTheWatermarkAreNeverDeliveredAgain()
    {
        var watermark = new OrderChangeWatermark(10, GapTimeout);

        Assert.Empty(watermark.Accept([9L, 10L], id => id, T0));
        Assert.Equal(10, watermark.Settled);
    }
}
