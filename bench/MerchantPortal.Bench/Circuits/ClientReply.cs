using System.Globalization;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// An answer the receive loop owes the server. Collected while a receive buffer is parsed and sent
/// together, in one WebSocket message, right after.
/// </summary>
internal readonly record struct ClientReply(bool IsRenderCompleted, long Id, string? ResultJson = null)
{
    public static ClientReply RenderCompleted(long batchId) => new(true, batchId);

    /// <summary>A successful JS call; <paramref name="resultJson"/> is the result as JSON, null for null.</summary>
    public static ClientReply EndInvokeJS(long asyncHandle, string? resultJson) => new(false, asyncHandle, resultJson);

    /// <summary>
    /// OnRenderCompleted(batchId, errorMessageOrNull); EndInvokeJSFromDotNet(asyncHandle, succeeded,
    /// "[asyncHandle,succeeded,result]"), the third argument being the JSON the server's
    /// DotNetDispatcher.EndInvokeJS parses. Fire-and-forget calls, as blazor.web.js sends them.
    /// </summary>
    public InvocationMessage ToMessage() => IsRenderCompleted
        ? new InvocationMessage("OnRenderCompleted", [Id, null])
        : new InvocationMessage("EndInvokeJSFromDotNet",
            [Id, true, string.Create(CultureInfo.InvariantCulture, $"[{Id},true,{ResultJson ?? "null"}]")]);
}
