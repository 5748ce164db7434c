using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Circuits;

/// <summary>
/// The circuit client against the real app in its own process: sign-in, prerendered markers,
/// negotiate, WebSocket, StartCircuit, UpdateRootComponents, render batches, clean close.
/// </summary>
public sealed partial class CircuitClientTests(PortalProcess app) : IClassFixture<PortalProcess>, IAsyncDisposable
{
    private const string Merchant = "merchant1@demo.local";
    private const string Password = "Demo!2345";
    private static readonly TimeSpan InteractiveRenderDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The app polls every 500 ms; 3 s leaves room for a busy 2-core machine.</summary>
    private static readonly TimeSpan ChangeRenderDeadline = TimeSpan.FromSeconds(3);

    private readonly HttpClient _http = CookieHttp.CreateSharedClient();

    [Fact]
    public async Task ACircuitStartsAndReceivesTheDashboardRender()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await MerchantSession.SignInAsync(_http, app.BaseAddress, Merchant, Password, ct);
        var page = await PrerenderedPage.LoadAsync(session, "", ct);
        Assert.NotEmpty(page.Markers);
        Assert.NotEmpty(page.ApplicationState);

        var recorder = new CircuitRecorder();
        await using var circuit = new CircuitClient(session, recorder.Callbacks);
        var circuitId = await circuit.StartAsync(page, ct);

        Assert.False(string.IsNullOrWhiteSpace(circuitId));
        Assert.True(await Eventually.TrueWithinAsync(InteractiveRenderDeadline, () => !recorder.Batches.IsEmpty),
            $"No render batch within {InteractiveRenderDeadline}: {recorder.Describe()}\n{app.Output}");
        Assert.True(await Eventually.TrueWithinAsync(InteractiveRenderDeadline, () => recorder.RootComponentBatches.Contains(1)),
            $"The server never confirmed the root component update: {recorder.Describe()}");
        Assert.Empty(recorder.ServerErrors);

        TestContext.Current.TestOutputHelper?.WriteLine($"circuit {circuitId}: {recorder.Describe()}");
        await circuit.DisconnectAsync(ct);
        var closed = Assert.Single(recorder.Closes);
        Assert.True(closed.ByClient && closed.IsClean, $"Not a clean close: {closed}");
    }

    [Fact]
    public async Task AnOrderSeededByAnotherProcessArrivesWithinThreeSecondsInOneRenderBatch()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await MerchantSession.SignInAsync(_http, app.BaseAddress, Merchant, Password, ct);
        var recorder = new CircuitRecorder();
        await using var circuit = new CircuitClient(session, recorder.Callbacks);
        await circuit.StartAsync(await PrerenderedPage.LoadAsync(session, "", ct), ct);
        Assert.True(await Eventually.TrueWithinAsync(InteractiveRenderDeadline, () => recorder.RootComponentBatches.Contains(1) && !recorder.Batches.IsEmpty),
            $"The dashboard never became interactive: {recorder.Describe()}");

        var (exitCode, output) = await app.RunCommandAsync("seed-orders", "--merchant", "Demo Shop 1", "--count", "1");
        var committed = Stopwatch.GetTimestamp();
        Assert.True(exitCode == 0, $"seed-orders exited with {exitCode}: {output}");
        // "Created 1 order for Demo Shop 1: #25–#25." The dashboard's order list renders that number.
        var number = OrderNumber().Match(output);
        Assert.True(number.Success, $"seed-orders printed no order number: {output}");

        // Other batches may arrive meanwhile, so wait for the one carrying the order.
        Assert.True(await Eventually.TrueWithinAsync(ChangeRenderDeadline, () => recorder.FirstBatchRendering(number.Value) is not null),
            $"No render batch showed order {number.Value} within {ChangeRenderDeadline} of the command exiting: {recorder.Describe()}");
        var change = recorder.FirstBatchRendering(number.Value)!.Value;
        // It may even arrive before the command's process has finished exiting, hence a negative latency is fine.
        Assert.True(Stopwatch.GetElapsedTime(committed, change.ReceivedTimestamp) < ChangeRenderDeadline);
        // The dashboard's row, the toast (snackbar provider) and the tab title (a section in the
        // head) belong to three components: one batch holds all three (LiveOrdersBatch).
        var strings = Encoding.UTF8.GetString(recorder.Contents.First(c => c.Batch.BatchId == change.BatchId).Bytes);
        Assert.Contains($"New order {number.Value}", strings, StringComparison.Ordinal);
        Assert.Matches(@"\(\d+\) MerchantPortal", strings);
        Assert.Empty(recorder.ServerErrors);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"batch {change.BatchId} ({change.Length} B) showed order {number.Value} {Stopwatch.GetElapsedTime(committed, change.ReceivedTimestamp).TotalMilliseconds:F0} ms after the command exited; {recorder.Describe()}");

        await circuit.DisconnectAsync(ct);
        Assert.True(Assert.Single(recorder.Closes).IsClean);
    }

    [Fact]
    public async Task JSInteropCallsAreAnsweredAndTheServerUsesTheResult()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await MerchantSession.SignInAsync(_http, app.BaseAddress, Merchant, Password, ct);
        var page = await PrerenderedPage.LoadAsync(session, "orders", ct);
        // The orders page asks the browser for its time zone once the circuit is up and names it in the
        // Created column's title; the prerendered page could only say UTC.
        var recorder = new CircuitRecorder(new Dictionary<string, string> { ["merchantPortal.timeZone"] = "\"Asia/Tokyo\"" });
        await using var circuit = new CircuitClient(session, recorder.Callbacks);
        await circuit.StartAsync(page, ct);

        Assert.True(await Eventually.TrueWithinAsync(InteractiveRenderDeadline, () => recorder.FirstBatchContaining("Created (Asia/Tokyo)") is not null),
            $"The answer to merchantPortal.timeZone never reached the page: {recorder.Describe()}\n{app.Output}");
        Assert.Contains("merchantPortal.timeZone", recorder.JSIdentifiers);
        Assert.Empty(recorder.ServerErrors);
        await circuit.DisconnectAsync(ct);
        Assert.True(Assert.Single(recorder.Closes).IsClean);
    }

    [Fact]
    public async Task CircuitsOfOneMerchantShareOneSignIn()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await MerchantSession.SignInAsync(_http, app.BaseAddress, Merchant, Password, ct);
        var recorder = new CircuitRecorder();
        await using var first = new CircuitClient(session, recorder.Callbacks);
        await using var second = new CircuitClient(session, recorder.Callbacks);

        var firstId = await first.StartAsync(await PrerenderedPage.LoadAsync(session, "", ct), ct);
        var secondId = await second.StartAsync(await PrerenderedPage.LoadAsync(session, "", ct), ct);

        Assert.NotEqual(firstId, secondId);
        Assert.True(await Eventually.TrueWithinAsync(InteractiveRenderDeadline, () => recorder.RootComponentBatches.Count == 2),
            $"Both circuits should confirm their root components: {recorder.Describe()}");
        await first.DisconnectAsync(ct);
        await second.DisconnectAsync(ct);
        Assert.All(recorder.Closes, closed => Assert.True(closed.IsClean, closed.ToString()));
    }

    [Fact]
    public async Task AnIdleCircuitOutlivesTheServersThirtySecondClientTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await MerchantSession.SignInAsync(_http, app.BaseAddress, "merchant2@demo.local", Password, ct);
        var recorder = new CircuitRecorder();
        // Pinging every 5 s arms the server's 30 s client timeout early (the server enforces it only from
        // the first Ping on), so 40 s of silence but for the Pings proves they keep the connection.
        await using var circuit = new CircuitClient(session, recorder.Callbacks) { KeepAliveInterval = TimeSpan.FromSeconds(5) };
        await circuit.StartAsync(await PrerenderedPage.LoadAsync(session, "", ct), ct);
        Assert.True(await Eventually.TrueWithinAsync(InteractiveRenderDeadline, () => recorder.RootComponentBatches.Contains(1)),
            $"The dashboard never became interactive: {recorder.Describe()}");

        // Nobody touches Demo Shop 2 here, so only the keep-alive Ping speaks.
        var quietFor = TimeSpan.FromSeconds(40);
        Assert.False(await Eventually.TrueWithinAsync(quietFor, () => !recorder.Closes.IsEmpty),
            $"The connection closed while idle after {circuit.PingsSent} pings: {recorder.Describe()}");
        Assert.InRange(circuit.PingsSent, 6, 10);

        var (exitCode, output) = await app.RunCommandAsync("seed-orders", "--merchant", "Demo Shop 2", "--count", "1");
        Assert.True(exitCode == 0, $"seed-orders exited with {exitCode}: {output}");
        var number = OrderNumber().Match(output).Value;
        Assert.True(await Eventually.TrueWithinAsync(ChangeRenderDeadline, () => recorder.FirstBatchRendering(number) is not null),
            $"The circuit no longer renders after being idle: {recorder.Describe()}");
        await circuit.DisconnectAsync(ct);
        Assert.True(Assert.Single(recorder.Closes).IsClean);
    }

    [GeneratedRegex(@"#\d+")]
    private static partial Regex OrderNumber();

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
