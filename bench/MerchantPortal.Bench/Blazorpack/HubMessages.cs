namespace MerchantPortal.Bench.Blazorpack;

/// <summary>
/// One hub message. Arguments and results are plain objects (null, bool, long, double, string, byte[],
/// object?[], Dictionary&lt;string, object?&gt;) because the load client only relays and inspects them;
/// mapping to .NET types is the caller's business.
/// </summary>
public abstract record HubMessage
{
    /// <summary>Headers are a string map in the protocol; null when the message had none.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>A call of <see cref="Target"/>; without an invocation id it is fire-and-forget.</summary>
public sealed record InvocationMessage(string? InvocationId, string Target, IReadOnlyList<object?> Arguments) : HubMessage
{
    /// <summary>Null means the message had no stream id element at all, which is how clients send plain calls.</summary>
    public IReadOnlyList<string>? StreamIds { get; init; }
}

/// <summary>One item of a server-to-client stream. Read only: the load client never streams to the server.</summary>
public sealed record StreamItemMessage(string InvocationId, object? Item) : HubMessage;

/// <summary>The end of an invocation: an error, no value (void) or a value, never two of those.</summary>
public sealed record CompletionMessage : HubMessage
{
    private CompletionMessage(string invocationId, string? error, bool hasResult, object? result)
    {
        InvocationId = invocationId;
        Error = error;
        HasResult = hasResult;
        Result = result;
    }

    public string InvocationId { get; }

    public string? Error { get; }

    /// <summary>Tells a null result apart from a void completion.</summary>
    public bool HasResult { get; }

    public object? Result { get; }

    public static CompletionMessage WithError(string invocationId, string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(invocationId, error, false, null);
    }

    public static CompletionMessage Void(string invocationId) => new(invocationId, null, false, null);

    public static CompletionMessage WithResult(string invocationId, object? result) => new(invocationId, null, true, result);
}

/// <summary>Keep-alive; carries nothing.</summary>
public sealed record PingMessage : HubMessage
{
    public static PingMessage Instance { get; } = new();
}

/// <summary>The server is closing the connection, with an error when it was not a clean shutdown.</summary>
public sealed record CloseMessage(string? Error, bool AllowReconnect) : HubMessage;

/// <summary>
/// A message type this codec does not model (stream invocations, cancellations, acks). The protocol
/// asks receivers to ignore unknown types, so the reader reports it instead of failing.
/// </summary>
public sealed record UnknownHubMessage(int MessageType) : HubMessage;
