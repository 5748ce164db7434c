using System.Buffers;
using System.Text.Json;

namespace MerchantPortal.Bench.Blazorpack;

/// <summary>
/// The SignalR handshake, which is JSON terminated by the record separator 0x1E whatever the hub
/// protocol, so the server can read it before it knows which protocol the client speaks.
/// </summary>
public static class BlazorpackHandshake
{
    public const string ProtocolName = "blazorpack";
    public const byte RecordSeparator = 0x1E;

    public static void WriteRequest(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("{\"protocol\":\"blazorpack\",\"version\":1}\u001e"u8);
    }

    /// <summary>
    /// Takes the handshake response off <paramref name="buffer"/>. Returns false until the separator has
    /// arrived. The server may send hub messages right behind the response in the same receive, so the
    /// bytes after the separator stay in <paramref name="buffer"/> for the binary reader.
    /// </summary>
    /// <exception cref="FormatException">The response is not a JSON object or its "error" is not a string.</exception>
    public static bool TryParseResponse(ref ReadOnlySpan<byte> buffer, out HandshakeResponse response)
    {
        response = HandshakeResponse.Success;
        var end = buffer.IndexOf(RecordSeparator);
        if (end < 0)
        {
            return false;
        }

        response = Parse(buffer[..end]);
        buffer = buffer[(end + 1)..];
        return true;
    }

    private static HandshakeResponse Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("The handshake response is not a JSON object.");
            }

            string? error = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (isError)
                {
                    error = reader.TokenType == JsonTokenType.String
                        ? reader.GetString()
                        : throw new FormatException("The handshake response's \"error\" is not a string.");
                }
                else
                {
                    // Newer servers may add fields (older ones sent "minorVersion"); they do not matter here.
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new FormatException("The handshake response has content after its JSON object.");
            }

            return error is null ? HandshakeResponse.Success : new HandshakeResponse(error);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The handshake response is not valid JSON: {e.Message}", e);
        }
    }
}
