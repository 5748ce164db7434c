using System.Buffers;

namespace MerchantPortal.Bench.Blazorpack;

/// <summary>
/// Writes framed hub messages. The length prefix comes first but is only known once the payload is
/// encoded, so each message is encoded into a reused scratch buffer and then copied behind its prefix.
/// Not thread-safe: one writer per connection.
/// </summary>
public sealed class HubMessageWriter
{
    private readonly ArrayBufferWriter<byte> _scratch = new(256);

    public void Write(HubMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        _scratch.ResetWrittenCount();
        var writer = new MessagePackWriter(_scratch);
        switch (message)
        {
            case InvocationMessage invocation:
                WriteInvocation(writer, invocation);
                break;
            case CompletionMessage completion:
                WriteCompletion(writer, completion);
                break;
            case PingMessage:
                writer.WriteArrayHeader(1);
                writer.WriteInt64(HubMessageType.Ping);
                break;
            case CloseMessage close:
                writer.WriteArrayHeader(3);
                writer.WriteInt64(HubMessageType.Close);
                WriteStringOrNil(writer, close.Error);
                writer.WriteBoolean(close.AllowReconnect);
                break;
            default:
                throw new NotSupportedException($"{message.GetType().Name} is read-only in this codec.");
        }

        VarIntFraming.WriteFrame(_scratch.WrittenSpan, output);
    }

    /// <summary>
    /// Sends the stream id element only when there are stream ids, as the JavaScript client does: the
    /// server accepts both the 5- and the 6-element form.
    /// </summary>
    private static void WriteInvocation(MessagePackWriter writer, InvocationMessage invocation)
    {
        writer.WriteArrayHeader(invocation.StreamIds is null ? 5 : 6);
        writer.WriteInt64(HubMessageType.Invocation);
        WriteHeaders(writer, invocation.Headers);
        WriteStringOrNil(writer, invocation.InvocationId);
        writer.WriteString(invocation.Target);
        writer.WriteArrayHeader(invocation.Arguments.Count);
        foreach (var argument in invocation.Arguments)
        {
            writer.WriteValue(argument);
        }

        if (invocation.StreamIds is { } streamIds)
        {
            writer.WriteArrayHeader(streamIds.Count);
            foreach (var streamId in streamIds)
            {
                writer.WriteString(streamId);
            }
        }
    }

    private static void WriteCompletion(MessagePackWriter writer, CompletionMessage completion)
    {
        var hasPayload = completion.Error is not null || completion.HasResult;
        writer.WriteArrayHeader(hasPayload ? 5 : 4);
        writer.WriteInt64(HubMessageType.Completion);
        WriteHeaders(writer, completion.Headers);
        writer.WriteString(completion.InvocationId);
        if (completion.Error is { } error)
        {
            writer.WriteInt64(CompletionResultKind.Error);
            writer.WriteString(error);
        }
        else if (completion.HasResult)
        {
            writer.WriteInt64(CompletionResultKind.NonVoid);
            writer.WriteValue(completion.Result);
        }
        else
        {
            writer.WriteInt64(CompletionResultKind.Void);
        }
    }

    private static void WriteHeaders(MessagePackWriter writer, IReadOnlyDictionary<string, string>? headers)
    {
        writer.WriteMapHeader(headers?.Count ?? 0);
        foreach (var (key, value) in headers ?? EmptyHeaders)
        {
            writer.WriteString(key);
            writer.WriteString(value);
        }
    }

    private static void WriteStringOrNil(MessagePackWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNil();
        }
        else
        {
            writer.WriteString(value);
        }
    }

    private static readonly Dictionary<string, string> EmptyHeaders = [];
}
