using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.WebSockets;
using MessagePack;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// A browserless Blazor Server circuit: negotiates, opens the WebSocket, speaks blazorpack, starts the
/// circuit for a prerendered page and keeps it alive, acknowledging render batches and answering JS
/// interop (with null unless <see cref="CircuitCallbacks.JSResult"/> says otherwise). It never applies a batch.
/// <para>
/// Hub messages are read and written by SignalR's official MessagePack protocol (<see cref="Blazorpack"/>);
/// the transport is this class's own WebSocket rather than a <c>HubConnection</c>, because the harness
/// holds 10,000+ circuits in one process next to the app it measures, and per connection a HubConnection
/// adds what the protocol does not need: its own 1 s timer loop for keep-alive and server timeout (10,000
/// timer callbacks a second), a duplex pipe pair between transport and protocol, and handler dispatch
/// through bound delegates; here a circuit is one socket, one pooled receive buffer that shrinks back
/// when idle, one small reused send buffer and a 15 s keep-alive timer.
/// </para>
/// </summary>
public sealed partial class CircuitClient : IAsyncDisposable
{
    private const int InitialReceiveBufferSize = 4096;
    private const string StartCircuitInvocationId = "0";


    private readonly MerchantSession _session;
    private readonly CircuitCallbacks _callbacks;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(256);
    private readonly List<ClientReply> _replies = [];
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<object?> _startCircuit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private byte[] _receiveBuffer = [];
    private int _received;
    private bool _handshakeDone;
    private volatile bool _disconnecting;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _keepAlive = Task.CompletedTask;
    private long _pingsSent;

    public CircuitClient(MerchantSession session, CircuitCallbacks? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _callbacks = callbacks ?? new CircuitCallbacks();
    }

    public MerchantSession Session => _session;

    /// <summary>
    /// How often to send a hub Ping. The server starts enforcing its 30 s ClientTimeoutInterval at the
    /// first Ping it receives and from then on drops a client it has not heard from for 30 s; 15 s is the
    /// JS client's default. Shorter only makes sense in tests.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Hub Pings sent so far; shows the keep-alive is running.</summary>
    public long PingsSent => Interlocked.Read(ref _pingsSent);

    /// <summary>Set once StartCircuit has answered.</summary>
    public string? CircuitId { get; private set; }

    /// <summary>Completes when the connection has ended, for whatever reason (see <see cref="CircuitCallbacks.Closed"/>).</summary>
    public Task Completion => _receiveLoop;

    /// <summary>
    /// Connects and starts the circuit for <paramref name="page"/>, then adds its root components, as
    /// blazor.web.js does after loading a page with interactive server components. Returns the circuit id
    /// once StartCircuit answers; the render batches follow through <see cref="CircuitCallbacks.RenderBatch"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server refused the handshake or the circuit.</exception>
    public async Task<string> StartAsync(PrerenderedPage page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        await ConnectAsync(cancellationToken);
        return await StartCircuitAsync(page, cancellationToken);
    }

    /// <summary>Negotiates, opens the socket, completes the handshake and starts the keep-alive: what every hub call needs first.</summary>
    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var connectionToken = await Negotiation.NegotiateAsync(_session, cancellationToken);
        // The hub authorises the socket with the same auth cookie the page was rendered with.
        _socket.Options.Cookies = _session.Cookies;
        // SignalR's liveness check counts hub messages only, never WebSocket control frames, so those
        // would be pure overhead times 10,000 sockets; the hub Ping below is what keeps the circuit.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await _socket.ConnectAsync(Negotiation.WebSocketUri(_session.BaseAddress, connectionToken), cancellationToken);
        _receiveBuffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
        _receiveLoop = ReceiveLoopAsync();

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            _sendBuffer.ResetWrittenCount();
            Blazorpack.WriteHandshakeRequest(_sendBuffer);
            await _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Binary, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }

        await _handshake.Task.WaitAsync(cancellationToken);
        _keepAlive = KeepAliveAsync(_stopping.Token);
    }

    private async Task<string> StartCircuitAsync(PrerenderedPage page, CancellationToken cancellationToken)
    {
        // StartCircuit(baseUri, locationHref, serializedComponentRecords, applicationState). blazor.web.js
        // sends no components here ("[]": they come with UpdateRootComponents) and the page's state.
        var baseUri = _session.BaseAddress.ToString();
        await SendAsync(new InvocationMessage(StartCircuitInvocationId, "StartCircuit",
            [baseUri, page.Uri.ToString(), "[]", page.ApplicationState], streamIds: null), cancellationToken);
        var circuitId = await _startCircuit.Task.WaitAsync(cancellationToken) as string;
        if (string.IsNullOrEmpty(circuitId))
        {
            throw new InvalidOperationException("StartCircuit answered without a circuit id: the server refused the circuit (see its log).");
        }

        CircuitId = circuitId;

        // UpdateRootComponents(operationsJson, applicationState): the first update carries the state again
        // (later ones send ""), which is how prerendered components find their persisted state.
        await SendAsync(new InvocationMessage("UpdateRootComponents",
            [RootComponentOperations.AddAll(page.Markers), page.ApplicationState]), cancellationToken);
        return circuitId;
    }

    /// <summary>
    /// Closes the socket the way a closing tab does. The server keeps the circuit for its retention
    /// period (a reconnect could resume it) and then disposes it.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        _disconnecting = true;
        await _stopping.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            await _sendLock.WaitAsync(cancellationToken);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            }
            catch (WebSocketException)
            {
                // Already broken; the receive loop reports how.
            }
            finally
            {
                _sendLock.Release();
            }
        }

        // The receive loop ends when the server's close frame arrives.
        await _receiveLoop.WaitAsync(cancellationToken);
        await _keepAlive;
    }

    /// <summary>
    /// Closes the way a closing tab does: blazor.web.js sends a beacon to _blazor/disconnect on pagehide,
    /// so the server ends the circuit at once instead of keeping it for its retention period, then the
    /// socket goes. Returns whether the server accepted the beacon.
    /// </summary>
    public async Task<bool> CloseAsTabAsync(CancellationToken cancellationToken = default)
    {
        var accepted = false;
        if (CircuitId is { } circuitId)
        {
            using var beacon = new HttpRequestMessage(HttpMethod.Post, new Uri(_session.BaseAddress, "_blazor/disconnect"))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["circuitId"] = circuitId }),
            };
            using var response = await _session.SendAsync(beacon, cancellationToken);
            accepted = response.IsSuccessStatusCode;
        }

        await DisconnectAsync(cancellationToken);
        return accepted;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_disconnecting)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await DisconnectAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _socket.Abort(); // the server did not answer the close in time
            }
        }

        _socket.Abort();
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _sendLock.Dispose();
        _stopping.Dispose();
    }

    private async Task SendAsync(HubMessage message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            _sendBuffer.ResetWrittenCount();
            Blazorpack.Protocol.WriteMessage(message, _sendBuffer);
            await _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Binary, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task SendRepliesAsync()
    {
        await _sendLock.WaitAsync();
        try
        {
            _sendBuffer.ResetWrittenCount();
            foreach (var reply in _replies)
            {
                Blazorpack.Protocol.WriteMessage(reply.ToMessage(), _sendBuffer);
            }

            _replies.Clear();
            // Several hub messages may share one WebSocket message; the server's framing splits them.
            await _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(KeepAliveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await SendAsync(PingMessage.Instance, cancellationToken);
                Interlocked.Increment(ref _pingsSent);
            }
        }
        catch (OperationCanceledException)
        {
            // Disconnecting.
        }
        catch (WebSocketException)
        {
            // The connection failed; the receive loop reports it.
        }
    }

    private async Task ReceiveLoopAsync()
    {
        CloseMessage? serverClose = null;
        Exception? failure = null;
        try
        {
            while (true)
            {
                if (_received == _receiveBuffer.Length)
                {
                    GrowReceiveBuffer();
                }

                var result = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(_received), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await AnswerCloseAsync();
                    break;
                }

                _received += result.Count;
                serverClose ??= ProcessReceived(Stopwatch.GetTimestamp());
                if (_replies.Count > 0)
                {
                    await SendRepliesAsync();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or InvalidDataException or MessagePackSerializationException or InvalidOperationException
            or OperationCanceledException or ObjectDisposedException or ArgumentException or InvalidCastException)
        {
            // Protocol violations (malformed frames, arguments of the wrong shape) end the connection like socket errors.
            // After our own close the server may drop the TCP connection without a close frame; that is not a failure.
            failure = _disconnecting ? null : e;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_receiveBuffer);
            _receiveBuffer = [];
            _received = 0;
            var ended = new InvalidOperationException("The connection ended before the circuit started.", failure);
            _handshake.TrySetException(ended);
            _startCircuit.TrySetException(ended);
            _callbacks.Closed?.Invoke(this, new CircuitClosed(serverClose?.Error, serverClose?.AllowReconnect ?? false, failure, _disconnecting));
        }
    }

    /// <summary>Completes the closing handshake the server started (or confirms ours).</summary>
    private async Task AnswerCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        await _sendLock.WaitAsync();
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Handles every complete message in the receive buffer and keeps the incomplete tail for the next
    /// receive: WebSocket messages and hub messages do not line up (either may split or merge the other).
    /// </summary>
    private CloseMessage? ProcessReceived(long timestamp)
    {
        var data = new ReadOnlySequence<byte>(_receiveBuffer, 0, _received);
        CloseMessage? close = null;
        if (!_handshakeDone)
        {
            // The server may send hub messages right behind the response, in the same receive.
            if (!HandshakeProtocol.TryParseResponseMessage(ref data, out var response))
            {
                return null;
            }

            _handshakeDone = true;
            if (response.Error is null)
            {
                _handshake.TrySetResult();
            }
            else
            {
                _handshake.TrySetException(new InvalidOperationException($"The hub refused the handshake: {response.Error}"));
            }
        }

        while (Blazorpack.Protocol.TryParseMessage(ref data, CircuitInvocationBinder.Instance, out var message))
        {
            close ??= Handle(message, timestamp);
        }

        var rest = (int)data.Length;
        _receiveBuffer.AsSpan(_received - rest, rest).CopyTo(_receiveBuffer); // overlapping copy is safe with spans
        _received = rest;
        if (_received == 0 && _receiveBuffer.Length > InitialReceiveBufferSize)
        {
            // A large batch grew the buffer; give it back so idle circuits stay small.
            ArrayPool<byte>.Shared.Return(_receiveBuffer);
            _receiveBuffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
        }

        return close;
    }

    private CloseMessage? Handle(HubMessage message, long timestamp)
    {
        switch (message)
        {
            case InvocationMessage { Target: CircuitInvocationBinder.RenderBatch, Arguments: [long batchId, byte[] batch] }:
                // Acknowledge at once: the server holds back later batches while too many are unacknowledged.
                if (AcknowledgeRenderBatches)
                {
                    _replies.Add(ClientReply.RenderCompleted(batchId));
                }

                var received = new RenderBatchReceived(batchId, timestamp, batch.Length);
                _callbacks.RenderBatch?.Invoke(this, received);
                _callbacks.RenderBatchBytes?.Invoke(this, received, batch);
                return null;
            case InvocationMessage invocation:
                HandleInvocation(invocation);
                return null;
            case InvocationBindingFailureMessage failure when CircuitInvocationBinder.Handles(failure.Target):
                // A call this client answers arrived in a shape it does not know: a newer server changed it.
                throw new InvalidOperationException($"{failure.Target} did not bind: {failure.BindingFailure.SourceException.Message}");
            case CompletionMessage { InvocationId: StartCircuitInvocationId } completion:
                if (completion.Error is { } error)
                {
                    _startCircuit.TrySetException(new InvalidOperationException($"StartCircuit failed: {error}"));
                }
                else
                {
                    _startCircuit.TrySetResult(completion.Result);
                }

                return null;
            case CloseMessage close:
                return close;
            default:
                // Pings need no answer (our own keep-alive covers the other direction); calls of targets this
                // client has no handler for and other message types are ignored, as blazor.web.js does.
                return null;
        }
    }

    private long _jsObjects;

    /// <summary>
    /// What a browser would answer where the harness has no opinion: a module import yields a JS
    /// object reference (components then call into it, answered null), anything else null. A null
    /// import would fail the component's cast and end the circuit, which no browser does.
    /// </summary>
    private string? DefaultResult(string identifier) =>
        identifier == "import"
            ? string.Create(CultureInfo.InvariantCulture, $"{{\"__jsObjectId\":{Interlocked.Increment(ref _jsObjects)}}}")
            : null;

    private void HandleInvocation(InvocationMessage invocation)
    {
        var args = invocation.Arguments;
        switch (invocation.Target)
        {
            case CircuitInvocationBinder.BeginInvokeJS:
                // Handle 0 means no answer is awaited.
                var handle = (long)args[0]!;
                var identifier = args[1] as string ?? "";
                _callbacks.JSInvoked?.Invoke(this, identifier);
                _callbacks.JSInvokedWithArguments?.Invoke(this, identifier, args[2] as string);
                if (handle != 0)
                {
                    _replies.Add(ClientReply.EndInvokeJS(handle, _callbacks.JSResult?.Invoke(this, identifier) ?? DefaultResult(identifier)));
                }

                break;
            case CircuitInvocationBinder.EndUpdateRootComponents:
                _callbacks.RootComponentsUpdated?.Invoke(this, (long)args[0]!);
                break;
            case CircuitInvocationBinder.Error:
                _callbacks.ServerError?.Invoke(this, args[0] as string ?? "");
                break;
            case CircuitInvocationBinder.EndInvokeDotNet:
                _callbacks.DotNetAnswered?.Invoke(this, new DotNetAnswer(args[0] as string ?? "", args[1] is true, args[2] as string));
                break;
        }
    }

    private void GrowReceiveBuffer()
    {
        var larger = ArrayPool<byte>.Shared.Rent(_receiveBuffer.Length * 2);
        _receiveBuffer.AsSpan(0, _received).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
        _receiveBuffer = larger;
    }
}
