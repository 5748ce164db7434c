using System.Globalization;
using MerchantPortal.Bench.Blazorpack;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// An answer the receive loop owes the server. Collected while a receive buffer is parsed (spans
/// cannot live across awaits) and sent together, in one WebSocket message, right after.
/// </summary>
internal readonly record struct ClientReply(bool IsRenderCompleted, long Id)
{
    public static ClientReply RenderCompleted(long batchId) => new(true, batchId);

    public static ClientReply EndInvokeJS(long asyncHandle) => new(false, asyncHandle);

    /// <summary>
    /// OnRenderCompleted(batchId, errorMessageOrNull); EndInvokeJSFromDotNet(asyncHandle, succeeded,
    /// "[asyncHandle,succeeded,result]"), the third argument being the JSON the server's
    /// DotNetDispatcher.EndInvokeJS parses.
    /// </summary>
    public InvocationMessage ToMessage() => IsRenderCompleted
        ? new InvocationMessage(null, "OnRenderCompleted", [Id, null])
        : new InvocationMessage(null, "EndInvokeJSFromDotNet",
            [Id, true, string.Create(CultureInfo.InvariantCulture, $"[{Id},true,null]")]);
}
