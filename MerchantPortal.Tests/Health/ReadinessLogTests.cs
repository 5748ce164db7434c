using MerchantPortal.Health;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.Tests.Health;

public sealed class ReadinessLogTests
{
    [Fact]
    public void EachChangeOfTheAnswerIsLoggedOnceWithTheReasonHoweverOftenItIsProbed()
    {
        var logs = new LogCollector();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var log = new ReadinessLog(factory.CreateLogger<ReadinessLog>());
        var healthy = Report(("database", HealthCheckResult.Healthy()), ("change-poller", HealthCheckResult.Healthy()));
        var down = Report(("database", HealthCheckResult.Unhealthy(exception: new InvalidOperationException("Failed to connect to 127.0.0.1:5432"))),
            ("change-poller", HealthCheckResult.Unhealthy("The order change poller has been failing since 2026-12-01T00:00:00.0000000+00:00 (longer than 00:00:01.5000000).")));

        foreach (var report in new[] { healthy, healthy, healthy, down, down, down, down, healthy, healthy })
        {
            log.Record(report);
        }

        var entries = logs.Entries.ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal(LogLevel.Information, entries[0].Level);
        Assert.StartsWith("Ready (/health/ready answers 200)", entries[0].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, entries[1].Level);
        Assert.Equal("Not ready (/health/ready answers 503): database: Failed to connect to 127.0.0.1:5432; " +
            "change-poller: The order change poller has been failing since 2026-12-01T00:00:00.0000000+00:00 (longer than 00:00:01.5000000).",
            entries[1].Message);
        Assert.Equal(LogLevel.Information, entries[2].Level);
        Assert.StartsWith("Ready again after ", entries[2].Message, StringComparison.Ordinal);
    }

    private static HealthReport Report(params (string Name, HealthCheckResult Result)[] checks) =>
        new(checks.ToDictionary(c => c.Name, c => new HealthReportEntry(c.Result.Status, c.Result.Description, TimeSpan.Zero, c.Result.Exception, null)),
            TimeSpan.Zero);
}
