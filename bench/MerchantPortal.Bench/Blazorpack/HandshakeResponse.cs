namespace MerchantPortal.Bench.Blazorpack;

/// <summary>The server's answer to the handshake: <c>{}</c> on success, <c>{"error":"..."}</c> otherwise.</summary>
public sealed record HandshakeResponse(string? Error)
{
    public static HandshakeResponse Success { get; } = new((string?)null);

    public bool IsSuccess => Error is null;
}
