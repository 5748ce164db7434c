using System.Globalization;
using MerchantPortal.Bench.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Hostile;

/// <summary>
/// Another merchant's order-to-badge latency (commit to the render batch showing it on their
/// dashboard) with nobody misbehaving, and while one merchant's client floods: (a) events as fast
/// as its socket takes them, opening a new circuit each time one is ended; (b) 90 events a second,
/// just under Circuits:MaxInboundPerSecond, each one an UPDATE. Every sample must arrive within the
/// usual 3 s deadline; the medians and ranges are printed (RELIABILITY.md, part 1). More samples:
/// HOSTILE_LATENCY_SAMPLES=30.
/// </summary>
[Collection(HostileGroup.Name)]
public sealed class FloodLatencyTests(HostileApp host)
{
    private int _late;

    private static readonly int Samples =
        int.TryParse(Environment.GetEnvironmentVariable("HOSTILE_LATENCY_SAMPLES"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5;

    [Fact]
    public async Task AnotherMerchantsOrdersArriveOnTimeWhileOneClientFloods()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bystander = await HostileCircuit.OpenAsync(await host.SignInAsync(HostileApp.Bystander, ct), "", ct);
        var attacker = await host.SignInAsync(HostileApp.Attacker, ct);
        var report = new List<string>();

        report.Add(Describe("quiet", await MeasureAsync(bystander)));
        foreach (var (name, perSecond) in new[] { ("flood, as fast as the socket takes", 0.0), ("90 events/s, each an UPDATE", 90.0) })
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var flood = new Flood();
            var running = flood.RunAsync(attacker, perSecond, stop.Token);
            Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline, () => flood.Events > 100), "The flood never got going");
            var latencies = await MeasureAsync(bystander);
            await stop.CancelAsync();
            await running;
            report.Add(Describe(name, latencies) + $"; attacker sent {flood.Events} events in {flood.Circuits} circuit attempts ({flood.Ended} closed or refused by the server)");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", report));
        Assert.False(bystander.Closed);
        Assert.True(_late == 0, $"{_late} of the bystander's orders missed the {HostileApp.DeliveryDeadline} deadline:\n{string.Join("\n", report)}");
    }

    /// <summary>Latencies in ms; an order later than the deadline counts as the deadline and is reported by the caller.</summary>
    private async Task<List<double>> MeasureAsync(HostileCircuit bystander)
    {
        var latencies = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            var latency = await host.OrderToBatchAsync(HostileApp.Bystander, bystander);
            if (latency is null)
            {
                _late++;
            }

            latencies.Add((latency ?? HostileApp.DeliveryDeadline).TotalMilliseconds);
        }

        return latencies;
    }

    private static string Describe(string name, List<double> ms)
    {
        ms.Sort();
        var median = ms.Count % 2 == 1 ? ms[ms.Count / 2] : (ms[(ms.Count / 2) - 1] + ms[ms.Count / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"{name}: median {median:F0} ms, range {ms[0]:F0}–{ms[^1]:F0} ms ({ms.Count} samples)");
    }

    /// <summary>One merchant's client flooding its alert settings page, reopening a circuit whenever the server ends one.</summary>
    private sealed class Flood
    {
        private long _events;
        private int _circuits;
        private int _ended;

        public long Events => Interlocked.Read(ref _events);

        public int Circuits => _circuits;

        public int Ended => _ended;

        public async Task RunAsync(MerchantPortal.Bench.Circuits.MerchantSession session, double perSecond, CancellationToken stop)
        {
            using var timer = perSecond > 0 ? new PeriodicTimer(TimeSpan.FromSeconds(1 / perSecond)) : null;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Interlocked.Increment(ref _circuits);
                    await using var page = await HostileCircuit.OpenAsync(session, "alerts", stop);
                    var select = await page.HandlerAsync("alert-repeat", "change");
                    while (!page.Closed && !stop.IsCancellationRequested)
                    {
                        if (timer is not null)
                        {
                            await timer.WaitForNextTickAsync(stop);
                        }

                        await page.ChangeAsync(select, (Events % 2) == 0 ? "15" : "30", stop);
                        Interlocked.Increment(ref _events);
                    }

                    if (page.Closed)
                    {
                        Interlocked.Increment(ref _ended);
                    }
                }
                catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException or HttpRequestException)
                {
                    // The server closed the connection under a send, or refused the next circuit (the cap).
                    Interlocked.Increment(ref _ended);
                    await Eventually.TrueWithinAsync(TimeSpan.FromMilliseconds(200), () => stop.IsCancellationRequested);
                }
                catch (OperationCanceledException)
                {
                    // Stopped.
                }
            }
        }
    }
}
