using System.Buffers;
using MerchantPortal.Bench.Blazorpack;

namespace MerchantPortal.Bench.Tests.Blazorpack;

public sealed class VarIntFramingTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(1, "01")]
    [InlineData(127, "7F")]
    [InlineData(128, "80 01")]
    [InlineData(300, "AC 02")]
    [InlineData(16383, "FF 7F")]
    [InlineData(16384, "80 80 01")]
    [InlineData(2097152, "80 80 80 01")]
    [InlineData(int.MaxValue, "FF FF FF FF 07")]
    public void LengthPrefixesAreSevenBitGroupsLowestFirst(int length, string expected)
    {
        var prefix = new byte[VarIntFraming.MaxPrefixLength];

        var written = VarIntFraming.WriteLengthPrefix(length, prefix);

        Assert.Equal(Bytes.Normalize(expected), Bytes.Hex(prefix.AsSpan(0, written)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16383)]
    [InlineData(16384)]
    [InlineData(2097152)]
    public void FramesOfEveryPrefixWidthRoundTrip(int length)
    {
        var payload = Bytes.Pattern(length);
        var output = new ArrayBufferWriter<byte>();
        VarIntFraming.WriteFrame(payload, output);
        var buffer = output.WrittenSpan;

        Assert.True(VarIntFraming.TryParseFrame(ref buffer, out var parsed));

        Assert.Equal(payload, parsed.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void SeveralFramesInOneBufferComeOutInOrder()
    {
        var output = new ArrayBufferWriter<byte>();
        VarIntFraming.WriteFrame([], output);
        VarIntFraming.WriteFrame([1, 2, 3], output);
        VarIntFraming.WriteFrame(Bytes.Pattern(200), output);
        ReadOnlySpan<byte> buffer = [.. output.WrittenSpan, 0x05, 0xAA];

        Assert.True(VarIntFraming.TryParseFrame(ref buffer, out var first));
        Assert.True(first.IsEmpty);
        Assert.True(VarIntFraming.TryParseFrame(ref buffer, out var second));
        Assert.Equal("010203", Bytes.Hex(second));
        Assert.True(VarIntFraming.TryParseFrame(ref buffer, out var third));
        Assert.Equal(Bytes.Pattern(200), third.ToArray());

        // The fourth frame announces 5 bytes but only one has arrived.
        Assert.False(VarIntFraming.TryParseFrame(ref buffer, out _));
        Assert.Equal("05AA", Bytes.Hex(buffer));
    }

    [Fact]
    public void APartialFrameYieldsNothingUntilItIsComplete()
    {
        var output = new ArrayBufferWriter<byte>();
        VarIntFraming.WriteFrame(Bytes.Pattern(200), output);
        var frame = output.WrittenSpan.ToArray();
        Assert.Equal(202, frame.Length);

        // Every cut, including one inside the two-byte prefix, must leave the bytes in place.
        for (var arrived = 0; arrived < frame.Length; arrived++)
        {
            var partial = frame.AsSpan(0, arrived);
            var buffer = (ReadOnlySpan<byte>)partial;
            Assert.False(VarIntFraming.TryParseFrame(ref buffer, out _), $"{arrived} bytes");
            Assert.Equal(arrived, buffer.Length);
        }

        var complete = (ReadOnlySpan<byte>)frame;
        Assert.True(VarIntFraming.TryParseFrame(ref complete, out var payload));
        Assert.Equal(200, payload.Length);
    }

    [Fact]
    public void AFiveBytePrefixIsWaitedForNotRejected()
    {
        ReadOnlySpan<byte> buffer = [0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00];

        Assert.False(VarIntFraming.TryParseFrame(ref buffer, out _));
        Assert.Equal(6, buffer.Length);
    }

    [Theory]
    [InlineData("80 80 80 80 80 00")]
    [InlineData("FF FF FF FF 08")]
    public void PrefixesBeyondFiveBytesOrTwoGigabytesAreRejected(string hex)
    {
        var bytes = Bytes.FromHex(hex);

        Assert.Throws<FormatException>(() =>
        {
            ReadOnlySpan<byte> buffer = bytes;
            VarIntFraming.TryParseFrame(ref buffer, out _);
        });
    }
}
