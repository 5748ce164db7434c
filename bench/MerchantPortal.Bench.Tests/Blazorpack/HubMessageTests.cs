using MerchantPortal.Bench.Blazorpack;

namespace MerchantPortal.Bench.Tests.Blazorpack;

/// <summary>Hub messages against layouts worked out by hand from the SignalR MessagePack hub protocol.</summary>
public sealed class HubMessageTests
{
    [Fact]
    public void AnInvocationWithoutIdSendsNilAndNoStreamIds() =>
        Assert.Equal(
            Bytes.Normalize("07 95 01 80 C0 A1 41 90"),
            Bytes.Hex(Bytes.Frame(new InvocationMessage(null, "A", []))));

    [Fact]
    public void AnInvocationWithIdAndStreamIdsSendsSixElements() =>
        Assert.Equal(
            Bytes.Normalize("0C 96 01 80 A1 31 A1 54 91 05 91 A1 73"),
            Bytes.Hex(Bytes.Frame(new InvocationMessage("1", "T", [5L]) { StreamIds = ["s"] })));

    [Fact]
    public void ARenderBatchInvocationRoundTripsWithItsBatchIdAndBytes()
    {
        var batch = Bytes.Pattern(300);
        var frame = Bytes.Frame(new InvocationMessage(null, "JS.RenderBatch", [2L, batch]));

        // 324 payload bytes: array, type, empty headers, nil id, fixstr of 14, array of 2, fixint, bin16 header.
        Assert.Equal(
            Bytes.Normalize("C4 02 95 01 80 C0 AE 4A 53 2E 52 65 6E 64 65 72 42 61 74 63 68 92 02 C5 01 2C"),
            Bytes.Hex(frame.AsSpan(0, 26)));
        var invocation = Assert.IsType<InvocationMessage>(ReadSingle(frame));
        Assert.Null(invocation.InvocationId);
        Assert.Equal("JS.RenderBatch", invocation.Target);
        Assert.Equal(2, invocation.Arguments.Count);
        Assert.Equal(2L, Assert.IsType<long>(invocation.Arguments[0]));
        Assert.Equal(batch, Assert.IsType<byte[]>(invocation.Arguments[1]));
        Assert.Null(invocation.StreamIds);
        Assert.Null(invocation.Headers);
    }

    [Fact]
    public void AnInvocationRoundTripsItsIdHeadersArgumentsAndStreamIds()
    {
        var sent = new InvocationMessage("42", "OnLocationChanged", [null, true, -7L, 0.25, "x", new object?[] { "y" }, new Dictionary<string, object?> { ["k"] = 1L }])
        {
            Headers = new Dictionary<string, string> { ["trace"] = "abc" },
            StreamIds = ["s1", "s2"],
        };

        var read = Assert.IsType<InvocationMessage>(ReadSingle(Bytes.Frame(sent)));

        Assert.Equal("42", read.InvocationId);
        Assert.Equal("OnLocationChanged", read.Target);
        Assert.Equal("abc", Assert.Single(read.Headers!).Value);
        Assert.Equal(["s1", "s2"], read.StreamIds!);
        Assert.Null(read.Arguments[0]);
        Assert.Equal(true, read.Arguments[1]);
        Assert.Equal(-7L, read.Arguments[2]);
        Assert.Equal(0.25, read.Arguments[3]);
        Assert.Equal("x", read.Arguments[4]);
        Assert.Equal("y", Assert.Single(Assert.IsType<object?[]>(read.Arguments[5])));
        Assert.Equal(1L, Assert.IsType<Dictionary<string, object?>>(read.Arguments[6])["k"]);
    }

    [Fact]
    public void AServerInvocationWithHeadersAndEmptyStreamIdsParses()
    {
        var invocation = Assert.IsType<InvocationMessage>(ReadSingle(Bytes.FromHex("0C 96 01 81 A1 68 A1 76 C0 A1 41 90 90")));

        Assert.Equal("v", invocation.Headers!["h"]);
        Assert.Null(invocation.InvocationId);
        Assert.Equal("A", invocation.Target);
        Assert.Empty(invocation.Arguments);
        Assert.Empty(invocation.StreamIds!);
    }

    [Fact]
    public void ACompletionWithAStringResultRoundTrips()
    {
        var frame = Bytes.Frame(CompletionMessage.WithResult("7", "done"));

        Assert.Equal(Bytes.Normalize("0B 95 03 80 A1 37 03 A4 64 6F 6E 65"), Bytes.Hex(frame));
        var completion = Assert.IsType<CompletionMessage>(ReadSingle(frame));
        Assert.Equal("7", completion.InvocationId);
        Assert.True(completion.HasResult);
        Assert.Equal("done", completion.Result);
        Assert.Null(completion.Error);
    }

    [Fact]
    public void ACompletionWithANullResultIsNotVoid()
    {
        var frame = Bytes.Frame(CompletionMessage.WithResult("1", null));

        Assert.Equal(Bytes.Normalize("07 95 03 80 A1 31 03 C0"), Bytes.Hex(frame));
        var completion = Assert.IsType<CompletionMessage>(ReadSingle(frame));
        Assert.True(completion.HasResult);
        Assert.Null(completion.Result);
    }

    [Fact]
    public void AVoidCompletionHasFourElements()
    {
        var frame = Bytes.Frame(CompletionMessage.Void("1"));

        Assert.Equal(Bytes.Normalize("06 94 03 80 A1 31 02"), Bytes.Hex(frame));
        var completion = Assert.IsType<CompletionMessage>(ReadSingle(frame));
        Assert.False(completion.HasResult);
        Assert.Null(completion.Error);
    }

    [Fact]
    public void AnErrorCompletionRoundTrips()
    {
        var frame = Bytes.Frame(CompletionMessage.WithError("1", "boom"));

        Assert.Equal(Bytes.Normalize("0B 95 03 80 A1 31 01 A4 62 6F 6F 6D"), Bytes.Hex(frame));
        var completion = Assert.IsType<CompletionMessage>(ReadSingle(frame));
        Assert.Equal("boom", completion.Error);
        Assert.False(completion.HasResult);
    }

    [Fact]
    public void APingIsThreeBytesOnTheWire()
    {
        var frame = Bytes.Frame(PingMessage.Instance);

        Assert.Equal("029106", Bytes.Hex(frame));
        Assert.IsType<PingMessage>(ReadSingle(frame));
    }

    [Theory]
    [InlineData("bye", true, "07 93 07 A3 62 79 65 C3")]
    [InlineData(null, false, "04 93 07 C0 C2")]
    public void ACloseRoundTripsItsErrorAndReconnectFlag(string? error, bool allowReconnect, string expected)
    {
        var frame = Bytes.Frame(new CloseMessage(error, allowReconnect));

        Assert.Equal(Bytes.Normalize(expected), Bytes.Hex(frame));
        Assert.Equal(new CloseMessage(error, allowReconnect), ReadSingle(frame));
    }

    [Fact]
    public void ACloseWithoutTheReconnectFlagDoesNotAllowReconnecting() =>
        Assert.Equal(new CloseMessage("x", false), ReadSingle(Bytes.FromHex("04 92 07 A1 78")));

    [Fact]
    public void AStreamItemIsRead()
    {
        var item = Assert.IsType<StreamItemMessage>(ReadSingle(Bytes.FromHex("06 94 02 80 A1 31 2A")));

        Assert.Equal("1", item.InvocationId);
        Assert.Equal(42L, item.Item);
    }

    [Fact]
    public void MessagesThisCodecOnlyReadsCannotBeWritten()
    {
        Assert.Throws<NotSupportedException>(() => Bytes.Frame(new StreamItemMessage("1", null)));
        Assert.Throws<NotSupportedException>(() => Bytes.Frame(new UnknownHubMessage(8)));
    }

    [Fact]
    public void UnknownMessageTypesAreReportedNotRejected() =>
        Assert.Equal(new UnknownHubMessage(8), ReadSingle(Bytes.FromHex("04 93 08 01 02")));

    [Theory]
    [InlineData("05 93 06 A1 78 C0", typeof(PingMessage))]
    [InlineData("07 95 03 80 A1 31 02 C3", typeof(CompletionMessage))]
    [InlineData("05 94 07 C0 C3 90", typeof(CloseMessage))]
    public void ElementsBeyondTheKnownOnesAreSkipped(string hex, Type expected) =>
        Assert.IsType(expected, ReadSingle(Bytes.FromHex(hex)));

    [Theory]
    [InlineData("90")]
    [InlineData("A1 41")]
    [InlineData("91 A1 41")]
    [InlineData("94 01 80 C0 A1 41")]
    [InlineData("94 03 80 A1 31")]
    [InlineData("95 03 80 A1 31 09 C0")]
    [InlineData("94 03 80 A1 31 01")]
    [InlineData("92 07 05")]
    [InlineData("91 06 C0")]
    [InlineData("95 01 80 05 A1 41 90")]
    public void MalformedMessagesAreFormatErrors(string payload)
    {
        var bytes = Bytes.FromHex(payload);

        Assert.Throws<FormatException>(() => HubMessageReader.Parse(bytes));
    }

    [Fact]
    public void TryReadTakesOneCompleteFrameAtATime()
    {
        byte[] bytes = [.. Bytes.Frame(PingMessage.Instance), .. Bytes.Frame(CompletionMessage.Void("9")), 0x06, 0x94];
        ReadOnlySpan<byte> buffer = bytes;

        Assert.True(HubMessageReader.TryRead(ref buffer, out var first));
        Assert.True(HubMessageReader.TryRead(ref buffer, out var second));
        Assert.False(HubMessageReader.TryRead(ref buffer, out var third));

        Assert.IsType<PingMessage>(first);
        Assert.Equal("9", Assert.IsType<CompletionMessage>(second).InvocationId);
        Assert.Null(third);
        Assert.Equal("0694", Bytes.Hex(buffer));
    }

    private static HubMessage ReadSingle(byte[] frame)
    {
        ReadOnlySpan<byte> buffer = frame;
        Assert.True(HubMessageReader.TryRead(ref buffer, out var message));
        Assert.True(buffer.IsEmpty);
        return message;
    }
}
