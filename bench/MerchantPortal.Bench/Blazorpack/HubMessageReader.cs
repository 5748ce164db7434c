using System.Diagnostics.CodeAnalysis;

namespace MerchantPortal.Bench.Blazorpack;

/// <summary>
/// Parses framed hub messages. Elements beyond those a message type defines are skipped rather than
/// rejected, so a newer server that appends fields still parses.
/// </summary>
public static class HubMessageReader
{
    /// <summary>Takes the next complete message off <paramref name="buffer"/>; false until one has fully arrived.</summary>
    /// <exception cref="FormatException">The frame or the message in it is malformed.</exception>
    public static bool TryRead(ref ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out HubMessage? message)
    {
        if (!VarIntFraming.TryParseFrame(ref buffer, out var payload))
        {
            message = null;
            return false;
        }

        message = Parse(payload);
        return true;
    }

    /// <summary>Parses one unframed message payload, which must hold exactly one MessagePack array.</summary>
    public static HubMessage Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        var count = reader.ReadArrayHeader();
        if (count < 1)
        {
            throw new FormatException("A hub message is an empty array.");
        }

        var type = reader.ReadInt64();
        var (message, used) = type switch
        {
            HubMessageType.Invocation => ReadInvocation(ref reader, count),
            HubMessageType.StreamItem => ReadStreamItem(ref reader, count),
            HubMessageType.Completion => ReadCompletion(ref reader, count),
            HubMessageType.Ping => (PingMessage.Instance, 1),
            HubMessageType.Close => ReadClose(ref reader, count),
            _ => (new UnknownHubMessage(type is >= int.MinValue and <= int.MaxValue ? (int)type : -1), 1),
        };

        for (var i = used; i < count; i++)
        {
            reader.Skip();
        }

        if (!reader.End)
        {
            throw new FormatException($"The hub message has {payload.Length - reader.Consumed} bytes after its array.");
        }

        return message;
    }

    private static (HubMessage, int) ReadInvocation(ref MessagePackReader reader, int count)
    {
        RequireCount(count, 5, "Invocation");
        var headers = ReadHeaders(ref reader);
        var invocationId = reader.ReadStringOrNil();
        var target = reader.ReadString();
        var arguments = new object?[reader.ReadArrayHeader()];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = reader.ReadValue();
        }

        string[]? streamIds = null;
        if (count > 5 && !reader.TryReadNil())
        {
            streamIds = new string[reader.ReadArrayHeader()];
            for (var i = 0; i < streamIds.Length; i++)
            {
                streamIds[i] = reader.ReadString();
            }
        }

        var message = new InvocationMessage(invocationId, target, arguments) { Headers = headers, StreamIds = streamIds };
        return (message, Math.Min(count, 6));
    }

    private static (HubMessage, int) ReadStreamItem(ref MessagePackReader reader, int count)
    {
        RequireCount(count, 4, "StreamItem");
        var headers = ReadHeaders(ref reader);
        var invocationId = reader.ReadString();
        var item = reader.ReadValue();
        return (new StreamItemMessage(invocationId, item) { Headers = headers }, 4);
    }

    private static (HubMessage, int) ReadCompletion(ref MessagePackReader reader, int count)
    {
        RequireCount(count, 4, "Completion");
        var headers = ReadHeaders(ref reader);
        var invocationId = reader.ReadString();
        var resultKind = reader.ReadInt64();
        CompletionMessage message;
        switch (resultKind)
        {
            case CompletionResultKind.Error:
                RequireCount(count, 5, "error Completion");
                message = CompletionMessage.WithError(invocationId, reader.ReadString());
                break;
            case CompletionResultKind.Void:
                message = CompletionMessage.Void(invocationId);
                return (message with { Headers = headers }, 4);
            case CompletionResultKind.NonVoid:
                RequireCount(count, 5, "result Completion");
                message = CompletionMessage.WithResult(invocationId, reader.ReadValue());
                break;
            default:
                throw new FormatException($"Completion result kind {resultKind} is not 1, 2 or 3.");
        }

        return (message with { Headers = headers }, 5);
    }

    /// <summary>Older servers send Close without the allowReconnect element; it then means false.</summary>
    private static (HubMessage, int) ReadClose(ref MessagePackReader reader, int count)
    {
        RequireCount(count, 2, "Close");
        var error = reader.ReadStringOrNil();
        var allowReconnect = count > 2 && reader.ReadBoolean();
        return (new CloseMessage(error, allowReconnect), Math.Min(count, 3));
    }

    private static Dictionary<string, string>? ReadHeaders(ref MessagePackReader reader)
    {
        var count = reader.ReadMapHeader();
        if (count == 0)
        {
            return null;
        }

        var headers = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            headers[reader.ReadString()] = reader.ReadString();
        }

        return headers;
    }

    private static void RequireCount(int count, int minimum, string kind)
    {
        if (count < minimum)
        {
            throw new FormatException($"A {kind} message needs at least {minimum} elements but has {count}.");
        }
    }
}
