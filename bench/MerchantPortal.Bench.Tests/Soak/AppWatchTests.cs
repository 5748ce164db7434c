using System.Diagnostics.Metrics;
using MerchantPortal.Bench.Soak;
using MerchantPortal.Bench.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.Bench.Tests.Soak;

/// <summary>
/// The watch reads a process through its diagnostic port; the test process is a .NET process too, so it
/// publishes the app's subscriber instrument and logs through the EventSource provider itself (no app
/// runs) and reads both back, as the soak reads the app.
/// </summary>
[Collection(Name)]
public sealed class AppWatchTests
{
    // Alone: System.Diagnostics.Metrics serves one listening session per process, and the watch
    // listens to this test process itself; CI found the instrument never reported while other
    // classes of this project ran beside it.
    public const string Name = "AppWatch on the test process";

    [Fact]
    public async Task ReadsTheSubscriberCountAndCountsLoggedErrorsApartFromWarnings()
    {
        var ct = TestContext.Current.CancellationToken;
        using var meter = new Meter(AppWatch.MeterName);
        var subscribers = meter.CreateUpDownCounter<long>(AppWatch.SubscribersInstrument);
        using var logging = LoggerFactory.Create(b => b.AddEventSourceLogger().SetMinimumLevel(LogLevel.Information));
        var logger = logging.CreateLogger("Soak.Test");

        await using var watch = await AppWatch.StartAsync(Environment.ProcessId, ct);
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(30), () => watch.InstrumentSeen), "the instrument was never reported");
        subscribers.Add(5);
        subscribers.Add(-2);
        Assert.Equal(3, await watch.ReadSettledSubscribersAsync(TimeSpan.FromSeconds(30)));
        subscribers.Add(-3);
        Assert.Equal(0, await watch.ReadSettledSubscribersAsync(TimeSpan.FromSeconds(30)));

        logger.LogInformation("not counted");
        logger.LogWarning("a warning");
        logger.LogError(new InvalidOperationException("boom"), "an error for merchant {MerchantId}", 7);
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(30), () => watch.Errors == 1 && watch.Warnings == 1),
            $"errors {watch.Errors}, warnings {watch.Warnings}: {string.Join(" | ", watch.Messages)}");
        Assert.Contains(watch.Messages, m => m.StartsWith("error Soak.Test: an error for merchant 7", StringComparison.Ordinal) && m.Contains("boom", StringComparison.Ordinal));
    }
}

[CollectionDefinition(AppWatchTests.Name, DisableParallelization = true)]
public sealed class AppWatchAlone;

