using System.Buffers;
using MerchantPortal.Bench.Circuits;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace MerchantPortal.Bench.Tests.Circuits;

/// <summary>
/// The client's own message shapes against SignalR's MessagePack protocol, read back the way the
/// server's hub binds them (ComponentHub's parameter types). The encoding itself is the library's.
/// </summary>
public sealed class BlazorpackMessagesTests
{
    [Fact]
    public void ARenderAcknowledgementBindsToOnRenderCompleted()
    {
        var message = Assert.IsType<InvocationMessage>(RoundTrip(ClientReply.RenderCompleted(42).ToMessage(), ServerHub.Instance));

        Assert.Equal("OnRenderCompleted", message.Target);
        Assert.Null(message.InvocationId);
        Assert.Equal([42L, null], message.Arguments);
    }

    [Theory]
    [InlineData(null, "[7,true,null]")]
    [InlineData("\"Asia/Tokyo\"", "[7,true,\"Asia/Tokyo\"]")]
    public void AJSAnswerCarriesItsResultAsTheJsonTheServerParses(string? result, string expected)
    {
        var message = Assert.IsType<InvocationMessage>(RoundTrip(ClientReply.EndInvokeJS(7, result).ToMessage(), ServerHub.Instance));

        Assert.Equal("EndInvokeJSFromDotNet", message.Target);
        Assert.Equal([7L, true, expected], message.Arguments);
    }

    [Fact]
    public void ARenderBatchBindsWithItsIdAndBytesAndAnInternedTarget()
    {
        var sent = new InvocationMessage(CircuitInvocationBinder.RenderBatch, [3L, new byte[] { 1, 2, 3 }]);

        var message = Assert.IsType<InvocationMessage>(RoundTrip(sent, CircuitInvocationBinder.Instance));

        Assert.Same(CircuitInvocationBinder.RenderBatch, message.Target);
        Assert.Equal(3L, message.Arguments[0]);
        Assert.Equal([1, 2, 3], Assert.IsType<byte[]>(message.Arguments[1]));
    }

    [Fact]
    public void ACallTheClientHasNoHandlerForFailsToBindWithoutBreakingTheStream()
    {
        var output = new ArrayBufferWriter<byte>();
        Blazorpack.Protocol.WriteMessage(new InvocationMessage("JS.SavePersistedState", ["circuit", "state"]), output);
        Blazorpack.Protocol.WriteMessage(new InvocationMessage(CircuitInvocationBinder.EndUpdateRootComponents, [1L]), output);
        var input = new ReadOnlySequence<byte>(output.WrittenMemory);

        Assert.True(Blazorpack.Protocol.TryParseMessage(ref input, CircuitInvocationBinder.Instance, out var first));
        Assert.True(Blazorpack.Protocol.TryParseMessage(ref input, CircuitInvocationBinder.Instance, out var second));

        var failure = Assert.IsType<InvocationBindingFailureMessage>(first);
        Assert.False(CircuitInvocationBinder.Handles(failure.Target));
        Assert.Equal([1L], Assert.IsType<InvocationMessage>(second).Arguments);
        Assert.Equal(0, input.Length);
    }

    [Fact]
    public void AHandshakeRequestNamesBlazorpack()
    {
        var output = new ArrayBufferWriter<byte>();

        Blazorpack.WriteHandshakeRequest(output);

        var input = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(HandshakeProtocol.TryParseRequestMessage(ref input, out var request));
        Assert.Equal(("blazorpack", 1), (request.Protocol, request.Version));
    }

    private static HubMessage? RoundTrip(HubMessage message, IInvocationBinder binder)
    {
        var output = new ArrayBufferWriter<byte>();
        Blazorpack.Protocol.WriteMessage(message, output);
        var input = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(Blazorpack.Protocol.TryParseMessage(ref input, binder, out var parsed));
        Assert.Equal(0, input.Length);
        return parsed;
    }

    /// <summary>The two ComponentHub methods the client calls without awaiting an answer.</summary>
    private sealed class ServerHub : IInvocationBinder
    {
        public static ServerHub Instance { get; } = new();

        public IReadOnlyList<Type> GetParameterTypes(string methodName) => methodName switch
        {
            "OnRenderCompleted" => [typeof(long), typeof(string)],
            "EndInvokeJSFromDotNet" => [typeof(long), typeof(bool), typeof(string)],
            _ => throw new InvalidOperationException($"ComponentHub has no {methodName} in this test."),
        };

        public Type GetReturnType(string invocationId) => throw new InvalidOperationException("The client invokes nothing here.");

        public Type GetStreamItemType(string streamId) => throw new InvalidOperationException("No streams.");
    }
}
