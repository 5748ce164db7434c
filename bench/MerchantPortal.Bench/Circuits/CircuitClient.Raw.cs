using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// What a hostile test needs beyond a browser's behaviour: any hub call with any arguments, any bytes
/// as one WebSocket message, and a client that never acknowledges render batches.
/// </summary>
public sealed partial class CircuitClient
{
    /// <summary>False: render batches are never acknowledged, as a stalled or hostile client does.</summary>
    public bool AcknowledgeRenderBatches { get; init; } = true;

    /// <summary>A fire-and-forget hub call, as blazor.web.js sends them (no invocation id, no answer awaited).</summary>
    public Task SendInvocationAsync(string target, object?[] arguments, CancellationToken cancellationToken = default) =>
        SendAsync(new InvocationMessage(target, arguments), cancellationToken);

    /// <summary>Sends <paramref name="bytes"/> as one binary WebSocket message, whatever they hold.</summary>
    public async Task SendFrameAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>A hub call framed by the real protocol (length prefix included), for a test to send as it likes.</summary>
    public static byte[] Frame(string target, object?[] arguments)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Blazorpack.Protocol.WriteMessage(new InvocationMessage(target, arguments), buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
