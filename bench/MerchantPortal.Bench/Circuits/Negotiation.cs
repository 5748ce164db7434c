using System.Text.Json;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// SignalR's negotiate step. Version 1 answers with a connectionToken (secret, used in the WebSocket URL)
/// separate from the connectionId (public, used in logs); the socket must present the token.
/// </summary>
public static class Negotiation
{
    public static async Task<string> NegotiateAsync(MerchantSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(session.BaseAddress, "_blazor/negotiate?negotiateVersion=1"))
        {
            Content = new ByteArrayContent([]),
        };
        using var response = await session.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"Negotiate failed: {error}");
        }

        return root.TryGetProperty("connectionToken", out var token) && token.GetString() is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("Negotiate answered without a connectionToken (negotiateVersion 0 server?).");
    }

    /// <summary>ws://host/_blazor?id=token, the address the JS client's WebSocket transport opens.</summary>
    public static Uri WebSocketUri(Uri baseAddress, string connectionToken)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var builder = new UriBuilder(new Uri(baseAddress, "_blazor"))
        {
            Scheme = baseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Query = "id=" + Uri.EscapeDataString(connectionToken),
        };
        return builder.Uri;
    }
}
