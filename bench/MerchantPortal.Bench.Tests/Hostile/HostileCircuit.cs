using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Tests.Circuits;
using MerchantPortal.Bench.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Hostile;

/// <summary>
/// A signed-in merchant's circuit driven by a client that speaks the real protocol but sends what
/// blazor.web.js never would. It knows what a browser knows (the event handler ids each render batch
/// attached, the .NET object references the server passed to JS) and nothing more.
/// </summary>
public sealed partial class HostileCircuit : IAsyncDisposable
{
    public static readonly TimeSpan InteractiveDeadline = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<(string? TestId, string EventName), ulong> _handlers = new();
    private long _calls;

    private HostileCircuit(MerchantSession session, bool acknowledge)
    {
        Recorder = new CircuitRecorder();
        var inner = Recorder.Callbacks;
        var callbacks = new CircuitCallbacks
        {
            JSResult = inner.JSResult,
            RenderBatch = inner.RenderBatch,
            RenderBatchBytes = (client, batch, bytes) =>
            {
                inner.RenderBatchBytes!(client, batch, bytes);
                foreach (var handler in RenderBatchHandlers.Read(bytes))
                {
                    _handlers[(handler.TestId, handler.EventName)] = handler.HandlerId; // the latest render wins, as in the DOM
                }
            },
            JSInvoked = inner.JSInvoked,
            JSInvokedWithArguments = (_, identifier, args) =>
            {
                if (args is not null && DotNetObject().Match(args) is { Success: true } match)
                {
                    DotNetObjects.Enqueue((identifier, long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)));
                }
            },
            ServerError = inner.ServerError,
            RootComponentsUpdated = inner.RootComponentsUpdated,
            Closed = inner.Closed,
            DotNetAnswered = (_, answer) => Answers[answer.CallId] = answer,
        };
        Client = new CircuitClient(session, callbacks) { AcknowledgeRenderBatches = acknowledge };
    }

    public CircuitClient Client { get; }

    public CircuitRecorder Recorder { get; }

    /// <summary>The JS identifiers that were handed a .NET object reference, with its id.</summary>
    public ConcurrentQueue<(string Identifier, long ObjectId)> DotNetObjects { get; } = new();

    public ConcurrentDictionary<string, DotNetAnswer> Answers { get; } = new();

    public bool Closed => !Recorder.Closes.IsEmpty;

    /// <summary>Every (data-testid, event) → handler id seen so far, for failure messages.</summary>
    public string Handlers => string.Join(", ", _handlers.Select(h => $"{h.Key.TestId ?? "?"}/{h.Key.EventName}={h.Value}"));

    /// <summary>Starts a circuit on <paramref name="path"/> and waits until its root components answered.</summary>
    public static async Task<HostileCircuit> OpenAsync(MerchantSession session, string path, CancellationToken ct, bool acknowledge = true)
    {
        var circuit = new HostileCircuit(session, acknowledge);
        await circuit.Client.StartAsync(await PrerenderedPage.LoadAsync(session, path, ct), ct);
        if (!await Eventually.TrueWithinAsync(InteractiveDeadline, () => circuit.Recorder.RootComponentBatches.Contains(1) || circuit.Closed))
        {
            throw new InvalidOperationException($"/{path} never became interactive: {circuit.Recorder.Describe()}");
        }

        return circuit;
    }

    /// <summary>The id of the handler for <paramref name="eventName"/> ("change", "click") on the element with this data-testid.</summary>
    public async Task<ulong> HandlerAsync(string testId, string eventName)
    {
        ulong id = 0;
        if (!await Eventually.TrueWithinAsync(InteractiveDeadline, () => _handlers.TryGetValue((testId, eventName), out id)))
        {
            throw new InvalidOperationException($"No {eventName} handler on data-testid={testId} in any render batch: {string.Join(", ", _handlers.Keys)}");
        }

        return id;
    }

    /// <summary>
    /// An event as .NET 10's blazor.web.js sends it: a .NET call of DispatchEventAsync on the renderer's
    /// interop object (handed over by Blazor._internal.attachWebRendererInterop), with the descriptor and
    /// the event's arguments; any handler id and any arguments (<paramref name="argsJson"/>, raw JSON).
    /// </summary>
    public async Task<string> DispatchAsync(ulong handlerId, string eventName, string argsJson, CancellationToken ct = default)
    {
        var descriptor = JsonSerializer.Serialize(new { eventHandlerId = handlerId, eventName, eventFieldInfo = (object?)null });
        return await InvokeDotNetAsync(null, "DispatchEventAsync", await RendererObjectAsync(), $"[{descriptor},{argsJson}]", ct);
    }

    private async Task<long> RendererObjectAsync()
    {
        const string Attach = "Blazor._internal.attachWebRendererInterop";
        if (!await Eventually.TrueWithinAsync(InteractiveDeadline, () => DotNetObjects.Any(o => o.Identifier == Attach)))
        {
            throw new InvalidOperationException($"The renderer's interop object never reached \"JS\": {Recorder.Describe()}");
        }

        return DotNetObjects.First(o => o.Identifier == Attach).ObjectId;
    }

    /// <summary>A change event carrying <paramref name="value"/> (any JSON value: a string, a number, null).</summary>
    public Task<string> ChangeAsync(ulong handlerId, object? value, CancellationToken ct = default) =>
        DispatchAsync(handlerId, "change", JsonSerializer.Serialize(new { value }), ct);

    /// <summary>BeginInvokeDotNetFromJS(callId, assembly, method, objectId, argsJson); returns the call id to find the answer under.</summary>
    public async Task<string> InvokeDotNetAsync(string? assembly, string method, long objectId, string argsJson, CancellationToken ct = default)
    {
        var callId = Interlocked.Increment(ref _calls).ToString(CultureInfo.InvariantCulture);
        await Client.SendInvocationAsync("BeginInvokeDotNetFromJS", [callId, assembly, method, objectId, argsJson], ct);
        return callId;
    }

    /// <summary>OnLocationChanged(uri, state, intercepted): what the browser says after an in-app navigation.</summary>
    public Task NavigateAsync(string path, CancellationToken ct = default) =>
        Client.SendInvocationAsync("OnLocationChanged", [new Uri(Client.Session.BaseAddress, path).ToString(), null, true], ct);

    /// <summary>
    /// What a closing tab does: blazor.web.js posts the circuit id to _blazor/disconnect (a beacon) so the
    /// server disposes the circuit at once instead of keeping it for a reconnect; then the socket closes.
    /// </summary>
    public async Task CloseLikeATabAsync(CancellationToken ct)
    {
        using var beacon = new HttpRequestMessage(HttpMethod.Post, new Uri(Client.Session.BaseAddress, "_blazor/disconnect"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["circuitId"] = Client.CircuitId! }),
        };
        using var response = await Client.Session.SendAsync(beacon, ct);
        response.EnsureSuccessStatusCode();
        await Client.DisposeAsync();
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    [GeneratedRegex("\"__dotNetObject\":(\\d+)")]
    private static partial Regex DotNetObject();
}
