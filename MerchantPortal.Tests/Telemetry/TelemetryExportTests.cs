using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MerchantPortal.Nodes;
using MerchantPortal.Telemetry;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.Telemetry;

/// <summary>
/// The real app process exporting over OTLP/HTTP (protobuf) to a collector in the test, configured
/// only by the standard OTEL_* environment variables, as an operator would.
/// </summary>
public sealed class TelemetryExportTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheRunningAppExportsItsMetersTracesAndLogsNamedByItsNode()
    {
        await using var database = new TestDatabase();
        using var collector = new OtlpReceiver();
        var address = AppProcess.FreeLoopbackAddress();
        var output = new StringBuilder();
        var app = AppProcess.Start(database.ConnectionString, ["--urls", address.ToString().TrimEnd('/')], output, Exporting(collector));
        try
        {
            await AppProcess.WaitUntilServingAsync(app, address, output);
            using var client = new HttpClient { BaseAddress = address };
            var probe = $"/telemetry-probe-{Guid.NewGuid():N}";
            using var response = await client.GetAsync(new Uri(probe, UriKind.Relative), TestContext.Current.CancellationToken);
            var node = response.Headers.GetValues(NodeIdentity.Header).Single();

            await Eventually.HoldsAsync(() => collector.Received("/v1/metrics", "merchantportal.poller.polls", "merchantportal.db.commands", node),
                $"No metrics export with the poller's and the database's counters and node {node}: {collector.Summary}\n{AppProcess.Read(output)}", Deadline);
            await Eventually.HoldsAsync(() => collector.Received("/v1/metrics", "http.server.request.duration", "dotnet.gc.collections", node),
                $"No metrics export with ASP.NET Core's and the runtime's instruments: {collector.Summary}", Deadline);
            await Eventually.HoldsAsync(() => collector.Received("/v1/traces", probe, TelemetryRegistration.ServiceName, node),
                $"No trace of the request to {probe}: {collector.Summary}", Deadline);
            await Eventually.HoldsAsync(() => collector.Received("/v1/logs", "Order change poller started", node),
                $"No log export with the poller's start-up line: {collector.Summary}", Deadline);
        }
        finally
        {
            await AppProcess.StopAsync(app);
        }
    }

    [Fact]
    public async Task ACommandFlushesItsLogsOnceAndExits()
    {
        await using var database = new TestDatabase();
        using var collector = new OtlpReceiver();

        var (exitCode, output) = await AppProcess.RunToExitAsync(database.ConnectionString,
            ["seed-orders", "--merchant", "Demo Shop 1", "--count", "1"], Exporting(collector));

        Assert.True(exitCode == 0, output);
        // The command never starts the host, so only the logger (created with the services) exports.
        Assert.True(collector.Received("/v1/logs", "migrations applied", TelemetryRegistration.ServiceName), $"The command's log lines were not flushed at exit: {collector.Summary}");
    }

    [Fact]
    public async Task ACommandDoesNotHangWhenTheCollectorAcceptsButNeverAnswers()
    {
        await using var database = new TestDatabase();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // the kernel accepts connections into the backlog; nothing ever reads or replies
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var environment = new Dictionary<string, string>
        {
            [TelemetryRegistration.EndpointKey] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };

        var clock = Stopwatch.StartNew();
        var (exitCode, output) = await AppProcess.RunToExitAsync(database.ConnectionString,
            ["seed-orders", "--merchant", "Demo Shop 1", "--count", "1"], environment);
        clock.Stop();

        Assert.True(exitCode == 0, output);
        // Measured here: about 2 s without an endpoint and 7 s with this collector (the logger's
        // shutdown gives its export at most 5 s). A hang would run into RunToExitAsync's 90 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"The command took {clock.Elapsed} to exit.");
    }

    /// <summary>The standard variables, with short intervals so the test need not wait a minute for a metrics export.</summary>
    private static Dictionary<string, string> Exporting(OtlpReceiver collector) => new()
    {
        [TelemetryRegistration.EndpointKey] = collector.Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
    };
}
