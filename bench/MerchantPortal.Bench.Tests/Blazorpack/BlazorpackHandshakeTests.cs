using System.Buffers;
using System.Text;
using MerchantPortal.Bench.Blazorpack;

namespace MerchantPortal.Bench.Tests.Blazorpack;

public sealed class BlazorpackHandshakeTests
{
    [Fact]
    public void TheRequestNamesBlazorpackVersionOneAndEndsWithTheRecordSeparator()
    {
        var output = new ArrayBufferWriter<byte>();

        BlazorpackHandshake.WriteRequest(output);

        Assert.Equal("{\"protocol\":\"blazorpack\",\"version\":1}\u001e", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(0x1E, output.WrittenSpan[^1]);
    }

    [Fact]
    public void AnEmptyObjectIsSuccess()
    {
        ReadOnlySpan<byte> buffer = "{}\u001e"u8;

        Assert.True(BlazorpackHandshake.TryParseResponse(ref buffer, out var response));

        Assert.True(response.IsSuccess);
        Assert.Null(response.Error);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void AnErrorResponseCarriesTheServersMessage()
    {
        ReadOnlySpan<byte> buffer = "{\"error\":\"Requested protocol 'blazorpack' is not available.\"}\u001e"u8;

        Assert.True(BlazorpackHandshake.TryParseResponse(ref buffer, out var response));

        Assert.False(response.IsSuccess);
        Assert.Equal("Requested protocol 'blazorpack' is not available.", response.Error);
    }

    [Fact]
    public void HubMessagesBehindTheResponseStayInTheBuffer()
    {
        ReadOnlySpan<byte> buffer = [.. "{}\u001e"u8, 0x02, 0x91, 0x06];

        Assert.True(BlazorpackHandshake.TryParseResponse(ref buffer, out var response));
        Assert.True(response.IsSuccess);

        Assert.True(HubMessageReader.TryRead(ref buffer, out var message));
        Assert.IsType<PingMessage>(message);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void AResponseWithoutItsSeparatorHasNotArrivedYet()
    {
        ReadOnlySpan<byte> buffer = "{\"error\":\"x\"}"u8;

        Assert.False(BlazorpackHandshake.TryParseResponse(ref buffer, out _));
        Assert.Equal(13, buffer.Length);
    }

    [Fact]
    public void UnknownPropertiesAreIgnored()
    {
        ReadOnlySpan<byte> buffer = "{ \"minorVersion\": 1, \"extra\": {\"error\": [1]} }\u001e"u8;

        Assert.True(BlazorpackHandshake.TryParseResponse(ref buffer, out var response));

        Assert.True(response.IsSuccess);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("nonsense")]
    [InlineData("{\"error\":5}")]
    [InlineData("{} {}")]
    [InlineData("")]
    public void MalformedResponsesAreFormatErrors(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + "\u001e");

        Assert.Throws<FormatException>(() =>
        {
            ReadOnlySpan<byte> buffer = bytes;
            BlazorpackHandshake.TryParseResponse(ref buffer, out _);
        });
    }
}
