using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Circuits;

/// <summary>
/// The circuit client without a sign-in, against the floor reference bench/MinimalCircuit: what
/// <c>probe --anonymous</c> does for each circuit, and proof that app prerenders the markers the client needs.
/// </summary>
public sealed class AnonymousCircuitTests(MinimalCircuitProcess app) : IClassFixture<MinimalCircuitProcess>, IDisposable
{
    private static readonly TimeSpan InteractiveRenderDeadline = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http = CookieHttp.CreateSharedClient();

    [Fact]
    public async Task AnAnonymousCircuitStartsOnTheMinimalAppAndRendersItsOneLine()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = MerchantSession.Anonymous(_http, app.BaseAddress);
        var page = await PrerenderedPage.LoadAsync(session, "", ct);
        Assert.Single(page.Markers);

        var recorder = new CircuitRecorder();
        await using var circuit = new CircuitClient(session, recorder.Callbacks);
        var circuitId = await circuit.StartAsync(page, ct);

        Assert.False(string.IsNullOrWhiteSpace(circuitId));
        // Static markup compiles to one markup frame, so the batch carries the element with its text.
        Assert.True(await Eventually.TrueWithinAsync(InteractiveRenderDeadline, () => recorder.FirstBatchRendering("<p>Hello from one idle circuit.</p>") is not null),
            $"No render batch showed the greeting within {InteractiveRenderDeadline}: {recorder.Describe()}\n{app.Output}");
        Assert.Empty(recorder.ServerErrors);

        await circuit.DisconnectAsync(ct);
        var closed = Assert.Single(recorder.Closes);
        Assert.True(closed.ByClient && closed.IsClean, $"Not a clean close: {closed}");
    }

    public void Dispose() => _http.Dispose();
}
