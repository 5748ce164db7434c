using MerchantPortal.Bench.Blazorpack;

namespace MerchantPortal.Bench.Tests.Blazorpack;

/// <summary>Pins the writer's output against encodings worked out by hand from the MessagePack spec.</summary>
public sealed class MessagePackWriterTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(5L, "05")]
    [InlineData(127L, "7F")]
    [InlineData(128L, "CC 80")]
    [InlineData(255L, "CC FF")]
    [InlineData(256L, "CD 01 00")]
    [InlineData(300L, "CD 01 2C")]
    [InlineData(65535L, "CD FF FF")]
    [InlineData(65536L, "CE 00 01 00 00")]
    [InlineData(4294967295L, "CE FF FF FF FF")]
    [InlineData(4294967296L, "CF 00 00 00 01 00 00 00 00")]
    [InlineData(long.MaxValue, "CF 7F FF FF FF FF FF FF FF")]
    [InlineData(-1L, "FF")]
    [InlineData(-32L, "E0")]
    [InlineData(-33L, "D0 DF")]
    [InlineData(-128L, "D0 80")]
    [InlineData(-129L, "D1 FF 7F")]
    [InlineData(-32768L, "D1 80 00")]
    [InlineData(-32769L, "D2 FF FF 7F FF")]
    [InlineData(-2147483648L, "D2 80 00 00 00")]
    [InlineData(-2147483649L, "D3 FF FF FF FF 7F FF FF FF")]
    [InlineData(long.MinValue, "D3 80 00 00 00 00 00 00 00")]
    public void IntegersUseTheSmallestEncoding(long value, string expected) =>
        Assert.Equal(Bytes.Normalize(expected), Bytes.Hex(Bytes.Write(w => w.WriteInt64(value))));

    [Fact]
    public void UnsignedIntegersAboveLongMaxValueUseUInt64() =>
        Assert.Equal("CFFFFFFFFFFFFFFFFF", Bytes.Hex(Bytes.Write(w => w.WriteUInt64(ulong.MaxValue))));

    [Fact]
    public void NilAndBooleansAreSingleBytes() =>
        Assert.Equal("C0C2C3", Bytes.Hex(Bytes.Write(w =>
        {
            w.WriteNil();
            w.WriteBoolean(false);
            w.WriteBoolean(true);
        })));

    [Fact]
    public void DoublesAndFloatsAreWrittenAsFloat64() =>
        Assert.Equal("CB3FF8000000000000" + "CB3FF8000000000000", Bytes.Hex(Bytes.Write(w =>
        {
            w.WriteDouble(1.5);
            w.WriteValue(1.5f);
        })));

    [Theory]
    [InlineData("", "A0")]
    [InlineData("abc", "A3 61 62 63")]
    [InlineData("é", "A2 C3 A9")]
    public void ShortStringsAreFixStrOfTheirUtf8Bytes(string value, string expected) =>
        Assert.Equal(Bytes.Normalize(expected), Bytes.Hex(Bytes.Write(w => w.WriteString(value))));

    [Theory]
    [InlineData(31, "BF")]
    [InlineData(32, "D9 20")]
    [InlineData(255, "D9 FF")]
    [InlineData(256, "DA 01 00")]
    [InlineData(65535, "DA FF FF")]
    [InlineData(65536, "DB 00 01 00 00")]
    public void StringHeadersGrowAtTheSpecBoundaries(int length, string header)
    {
        var encoded = Bytes.Write(w => w.WriteString(new string('x', length)));

        var headerBytes = Bytes.FromHex(header);
        Assert.Equal(Bytes.Hex(headerBytes), Bytes.Hex(encoded.AsSpan(0, headerBytes.Length)));
        Assert.Equal(headerBytes.Length + length, encoded.Length);
        Assert.All(encoded[headerBytes.Length..], b => Assert.Equal((byte)'x', b));
    }

    [Fact]
    public void TwoBytesOfBinaryAreBin8() =>
        Assert.Equal("C4020102", Bytes.Hex(Bytes.Write(w => w.WriteBinary([1, 2]))));

    [Theory]
    [InlineData(0, "C4 00")]
    [InlineData(255, "C4 FF")]
    [InlineData(256, "C5 01 00")]
    [InlineData(65535, "C5 FF FF")]
    [InlineData(65536, "C6 00 01 00 00")]
    public void BinaryHeadersGrowAtTheSpecBoundaries(int length, string header)
    {
        var payload = Bytes.Pattern(length);
        var encoded = Bytes.Write(w => w.WriteBinary(payload));

        var headerBytes = Bytes.FromHex(header);
        Assert.Equal(Bytes.Hex(headerBytes), Bytes.Hex(encoded.AsSpan(0, headerBytes.Length)));
        Assert.Equal(payload, encoded[headerBytes.Length..]);
    }

    [Theory]
    [InlineData(0, "90", "80")]
    [InlineData(15, "9F", "8F")]
    [InlineData(16, "DC 00 10", "DE 00 10")]
    [InlineData(65535, "DC FF FF", "DE FF FF")]
    [InlineData(65536, "DD 00 01 00 00", "DF 00 01 00 00")]
    public void ContainerHeadersGrowAtTheSpecBoundaries(int count, string arrayHeader, string mapHeader)
    {
        Assert.Equal(Bytes.Normalize(arrayHeader), Bytes.Hex(Bytes.Write(w => w.WriteArrayHeader(count))));
        Assert.Equal(Bytes.Normalize(mapHeader), Bytes.Hex(Bytes.Write(w => w.WriteMapHeader(count))));
    }

    [Fact]
    public void ValuesPickTheFormatOfTheirType()
    {
        object?[] value = [1, "a", null, true, new Dictionary<string, object?> { ["k"] = (byte)200 }, new byte[] { 9 }];

        Assert.Equal(
            Bytes.Normalize("96 01 A1 61 C0 C3 81 A1 6B CC C8 C4 01 09"),
            Bytes.Hex(Bytes.Write(w => w.WriteValue(value))));
    }

    [Fact]
    public void ValuesOfUnsupportedTypesAreRefused()
    {
        var error = Assert.Throws<NotSupportedException>(() => Bytes.Write(w => w.WriteValue(DateTime.UnixEpoch)));
        Assert.Contains("System.DateTime", error.Message, StringComparison.Ordinal);
    }
}
