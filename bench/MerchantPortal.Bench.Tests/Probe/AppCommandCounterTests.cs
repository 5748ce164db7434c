using System.Diagnostics.Metrics;
using MerchantPortal.Bench.Probe;
using MerchantPortal.Data;

namespace MerchantPortal.Bench.Tests.Probe;

/// <summary>
/// The counter reads a process's meter through its diagnostic port; the test process is a .NET
/// process too, so it can publish the app's instrument itself (no app runs) and read it back.
/// Nothing else in this process creates the app's meter: its only producer is registered through
/// the app's service collection, which these tests never build.
/// </summary>
public sealed class AppCommandCounterTests
{
    [Fact]
    public async Task CountsTheCommandsOfTheAppsInstrumentBetweenTwoSettledReadings()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        using var meter = new Meter(DatabaseCommandMetrics.MeterName);
        var commands = meter.CreateCounter<long>(DatabaseCommandMetrics.CommandsInstrument);
        var other = meter.CreateCounter<long>("merchantportal.db.other");

        await using var counter = await AppCommandCounter.StartAsync(Environment.ProcessId, ct);
        // The session's listener starts on its own thread; count until its first interval is published.
        while (counter.Published == 0)
        {
            commands.Add(1);
            await Task.Delay(100, ct);
        }

        var before = await counter.ReadSettledAsync(ct);
        commands.Add(2, new KeyValuePair<string, object?>("source", "app"));
        commands.Add(3, new KeyValuePair<string, object?>("source", DatabaseCommandMetrics.ChangePollerSource));
        commands.Add(4, new KeyValuePair<string, object?>("source", DatabaseCommandMetrics.ChangePollerSource));
        other.Add(100);
        var after = await counter.ReadSettledAsync(ct);

        Assert.True(before.Total >= 1, $"before {before}");
        Assert.Equal(9, after.Total - before.Total);
        Assert.Equal(7, after.Poller - before.Poller);
    }
}
