using System.Diagnostics;
using System.Text;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

public sealed class DeliveryTrackerTests
{
    /// <summary>An arbitrary Stopwatch timestamp to count from; zero means "not committed" to the tracker.</summary>
    private const long Start = 1_000_000_000;

    [Fact]
    public void EachOrderIsTimedFromItsCommitToTheFirstBatchOfEveryCircuitOfItsMerchant()
    {
        var tracker = new DeliveryTracker();
        var (a, b, c) = (new DeliveryTracker.TrackedCircuit(), new DeliveryTracker.TrackedCircuit(), new DeliveryTracker.TrackedCircuit());
        tracker.Add(1, a);
        tracker.Add(1, b);
        tracker.Add(2, c);

        tracker.Expect(1, "Bench 0000001")(At(0));
        a.Inspect(At(10), Batch("Bench 0000001"));
        b.Inspect(At(30), Batch("unrelated"));
        b.Inspect(At(30), Batch("Bench 0000001"));
        a.Inspect(At(500), Batch("Bench 0000001")); // a second render of the same order is not a second delivery
        tracker.Expect(2, "Bench 0000002")(At(100));
        tracker.Expect(1, "Bench 0000003")(At(200));
        // One batch can carry several orders.
        c.Inspect(At(120), Batch("Bench 0000002", "Bench 0000003"));
        a.Inspect(At(240), Batch("Bench 0000003"));
        b.Inspect(At(280), Batch("Bench 0000003"));

        var (milliseconds, missing) = tracker.Results();

        Assert.Equal([10d, 20, 30, 40, 80], milliseconds.Order().Select(ms => Math.Round(ms, 6)));
        Assert.Equal(0, missing);
        Assert.Equal(0, tracker.Outstanding);
    }

    [Fact]
    public void PercentilesOfTheTimesAreNearestRank()
    {
        var tracker = new DeliveryTracker();
        var circuit = new DeliveryTracker.TrackedCircuit();
        tracker.Add(7, circuit);
        for (var i = 1; i <= 100; i++)
        {
            var marker = $"Bench {i:D7}";
            tracker.Expect(7, marker)(At(i * 1_000));
            circuit.Inspect(At((i * 1_000) + i), Batch(marker)); // order i takes i ms
        }

        var (milliseconds, _) = tracker.Results();
        milliseconds.Sort();
        var load = new LoadFigures { OrdersWritten = 100, Duration = TimeSpan.FromSeconds(10), Expected = 100, Missing = 0, LatenciesMs = milliseconds };

        Assert.Equal(50, load.Percentile(50)!.Value, 6);
        Assert.Equal(95, load.Percentile(95)!.Value, 6);
        Assert.Equal(99, load.Percentile(99)!.Value, 6);
        Assert.Equal(100, load.Percentile(100)!.Value, 6);
    }

    [Fact]
    public void TheTimelineSlicesDeliveriesByCommitTime()
    {
        var tracker = new DeliveryTracker();
        var circuit = new DeliveryTracker.TrackedCircuit();
        tracker.Add(1, circuit);
        // Slice 0 (0–1 s): two orders, 10 and 30 ms; slice 2 (2–3 s): one of 500 ms and one never shown.
        tracker.Expect(1, "Bench 0000001")(At(100));
        tracker.Expect(1, "Bench 0000002")(At(900));
        tracker.Expect(1, "Bench 0000003")(At(2_300));
        tracker.Expect(1, "Bench 0000004")(At(2_400));
        circuit.Inspect(At(110), Batch("Bench 0000001"));
        circuit.Inspect(At(930), Batch("Bench 0000002"));
        circuit.Inspect(At(2_800), Batch("Bench 0000003"));

        var timeline = tracker.Timeline(TimeSpan.FromSeconds(1));

        Assert.Equal(2, timeline.Count);
        Assert.Equal((TimeSpan.Zero, 2, 0), (timeline[0].From, timeline[0].Arrived, timeline[0].Missing));
        Assert.Equal((10d, 30d), (Math.Round(timeline[0].P50Ms!.Value, 6), Math.Round(timeline[0].P99Ms!.Value, 6)));
        Assert.Equal((TimeSpan.FromSeconds(2), 1, 1), (timeline[1].From, timeline[1].Arrived, timeline[1].Missing));
        Assert.Equal(500d, Math.Round(timeline[1].P99Ms!.Value, 6));
    }

    [Fact]
    public void DeliveriesThatNeverArriveAreCountedMissing()
    {
        var tracker = new DeliveryTracker();
        var (a, b) = (new DeliveryTracker.TrackedCircuit(), new DeliveryTracker.TrackedCircuit());
        tracker.Add(1, a);
        tracker.Add(1, b);

        tracker.Expect(1, "Bench 0000001")(At(0));
        tracker.Expect(1, "Bench 0000002")(At(0));
        tracker.Expect(3, "Bench 0000003")(At(0)); // no circuit shows merchant 3: nothing is expected
        a.Inspect(At(5), Batch("Bench 0000001"));

        var (milliseconds, missing) = tracker.Results();

        Assert.Equal([5d], milliseconds.Select(ms => Math.Round(ms, 6)));
        Assert.Equal(3, missing); // order 1 on b, order 2 on a and b
        Assert.Equal(3, tracker.Outstanding);
    }

    [Fact]
    public void AnOrderWhoseCommitWasNeverReportedIsNotTimed()
    {
        var tracker = new DeliveryTracker();
        var circuit = new DeliveryTracker.TrackedCircuit();
        tracker.Add(1, circuit);

        _ = tracker.Expect(1, "Bench 0000001"); // the write failed: no commit timestamp
        circuit.Inspect(At(5), Batch("Bench 0000001"));

        Assert.Equal((0, 0), (tracker.Results().Milliseconds.Count, tracker.Results().Missing));
    }

    [Fact]
    public async Task DrainingEndsWhenTheLastDeliveryArrives()
    {
        var tracker = new DeliveryTracker();
        var circuit = new DeliveryTracker.TrackedCircuit();
        tracker.Add(1, circuit);
        tracker.Expect(1, "Bench 0000001")(At(0));
        var clock = Stopwatch.StartNew();

        var draining = tracker.DrainAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(draining.IsCompleted);
        circuit.Inspect(At(1), Batch("Bench 0000001"));
        await draining.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DrainingGivesUpAtTheDeadline()
    {
        var tracker = new DeliveryTracker();
        tracker.Add(1, new DeliveryTracker.TrackedCircuit());
        tracker.Expect(1, "Bench 0000001")(At(0));
        var clock = Stopwatch.StartNew();

        await tracker.DrainAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
        Assert.Equal(1, tracker.Outstanding);
    }

    private static long At(double milliseconds) => Start + (long)Math.Round(milliseconds * Stopwatch.Frequency / 1_000);

    /// <summary>A render batch as it comes off the wire: binary framing with the markers' UTF-8 somewhere inside.</summary>
    private static byte[] Batch(params string[] texts)
    {
        var bytes = new List<byte> { 0x91, 0x00 };
        foreach (var text in texts)
        {
            bytes.Add(0xA0);
            bytes.AddRange(Encoding.UTF8.GetBytes(text));
            bytes.Add(0xFF);
        }

        bytes.Add(0x00);
        return [.. bytes];
    }
}
