using System.Buffers;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// Blazor's "blazorpack" is SignalR's MessagePack hub protocol under another name, so the official
/// <see cref="MessagePackHubProtocol"/> reads and writes every hub message (length prefix included) and
/// the official <see cref="HandshakeProtocol"/> the JSON handshake. The name only matters in the
/// handshake, which names "blazorpack" itself, so the protocol needs no wrapper. Both are stateless and
/// thread-safe: one instance serves every circuit.
/// </summary>
internal static class Blazorpack
{
    public const string ProtocolName = "blazorpack";

    /// <summary>Version 1, as before: version 2 only adds the acks of stateful reconnect, which Blazor does not use.</summary>
    private static readonly HandshakeRequestMessage HandshakeRequest = new(ProtocolName, 1);

    public static MessagePackHubProtocol Protocol { get; } = new();

    public static void WriteHandshakeRequest(IBufferWriter<byte> output) => HandshakeProtocol.WriteRequestMessage(HandshakeRequest, output);
}
