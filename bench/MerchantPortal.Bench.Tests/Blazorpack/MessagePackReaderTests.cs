using MerchantPortal.Bench.Blazorpack;

namespace MerchantPortal.Bench.Tests.Blazorpack;

public sealed class MessagePackReaderTests
{
    public static TheoryData<long> IntegerBoundaries =>
    [
        0, 1, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, uint.MaxValue + 1L, long.MaxValue,
        -1, -32, -33, -128, -129, -32768, -32769, int.MinValue, int.MinValue - 1L, long.MinValue,
    ];

    [Theory]
    [MemberData(nameof(IntegerBoundaries))]
    public void IntegersRoundTripAtEveryWidthBoundary(long value)
    {
        var reader = new MessagePackReader(Bytes.Write(w => w.WriteInt64(value)));

        Assert.Equal(MessagePackKind.WholeNumber, reader.PeekKind());
        Assert.Equal(value, reader.ReadInt64());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("CD 00 05", 5L)]
    [InlineData("D0 00", 0L)]
    [InlineData("CF 00 00 00 00 00 00 00 07", 7L)]
    [InlineData("D3 FF FF FF FF FF FF FF FF", -1L)]
    [InlineData("D2 00 00 01 00", 256L)]
    public void IntegersWiderThanNeededAreAccepted(string hex, long expected) =>
        Assert.Equal(expected, new MessagePackReader(Bytes.FromHex(hex)).ReadInt64());

    [Fact]
    public void UInt64AboveLongMaxValueIsRejected() =>
        Assert.Throws<FormatException>(() => new MessagePackReader(Bytes.FromHex("CF 80 00 00 00 00 00 00 00")).ReadInt64());

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(-123.456)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.NaN)]
    public void DoublesRoundTrip(double value)
    {
        var reader = new MessagePackReader(Bytes.Write(w => w.WriteDouble(value)));

        Assert.Equal(value, reader.ReadDouble());
        Assert.True(reader.End);
    }

    [Fact]
    public void Float32IsReadAsDouble()
    {
        var reader = new MessagePackReader(Bytes.FromHex("CA 3F C0 00 00 CA 3F C0 00 00"));

        Assert.Equal(1.5, reader.ReadDouble());
        Assert.Equal(1.5, Assert.IsType<double>(reader.ReadValue()));
    }

    [Fact]
    public void WholeNumbersAreAcceptedWhereADoubleIsExpected() =>
        Assert.Equal(5.0, new MessagePackReader(Bytes.FromHex("05")).ReadDouble());

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void StringsRoundTripAtEveryHeaderBoundary(int length)
    {
        var value = new string((char)('a' + (length % 26)), length);
        var reader = new MessagePackReader(Bytes.Write(w => w.WriteString(value)));

        Assert.Equal(MessagePackKind.Str, reader.PeekKind());
        Assert.Equal(value, reader.ReadString());
        Assert.True(reader.End);
    }

    [Fact]
    public void StringsRoundTripAsUtf8()
    {
        const string Value = "Grüße, 世界 🙂";
        var encoded = Bytes.Write(w => w.WriteString(Value));

        // 20 UTF-8 bytes: ü and ß take 2, 世 and 界 take 3, the emoji takes 4.
        Assert.Equal(0xA0 | 20, encoded[0]);
        Assert.Equal(Value, new MessagePackReader(encoded).ReadString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void BinaryRoundTripsAtEveryHeaderBoundary(int length)
    {
        var payload = Bytes.Pattern(length);
        var encoded = Bytes.Write(w =>
        {
            w.WriteBinary(payload);
            w.WriteBinary(payload);
        });
        var reader = new MessagePackReader(encoded);

        Assert.Equal(MessagePackKind.Binary, reader.PeekKind());
        Assert.Equal(payload, reader.ReadBinarySpan().ToArray());
        Assert.Equal(payload, Assert.IsType<byte[]>(reader.ReadValue()));
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void ArraysRoundTripAtEveryHeaderBoundary(int count)
    {
        var value = Enumerable.Range(0, count).Select(i => (object?)(long)i).ToArray();
        var reader = new MessagePackReader(Bytes.Write(w => w.WriteValue(value)));

        Assert.Equal(value, Assert.IsType<object?[]>(reader.ReadValue()));
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(65536)]
    public void MapsRoundTripAtEveryHeaderBoundary(int count)
    {
        var value = Enumerable.Range(0, count).ToDictionary(i => $"k{i}", i => (object?)$"v{i}");
        var reader = new MessagePackReader(Bytes.Write(w => w.WriteValue(value)));

        var read = Assert.IsType<Dictionary<string, object?>>(reader.ReadValue());
        Assert.Equal(value, read);
        Assert.True(reader.End);
    }

    [Fact]
    public void NestedValuesRoundTripAsTheArgumentRepresentation()
    {
        var value = new Dictionary<string, object?>
        {
            ["null"] = null,
            ["bool"] = false,
            ["long"] = -5L,
            ["double"] = 2.5,
            ["str"] = "s",
            ["bin"] = new byte[] { 1, 2 },
            ["array"] = new object?[] { 1L, "x", Array.Empty<object?>(), new Dictionary<string, object?>() },
            ["map"] = new Dictionary<string, object?> { ["inner"] = true },
        };
        var reader = new MessagePackReader(Bytes.Write(w => w.WriteValue(value)));

        var read = Assert.IsType<Dictionary<string, object?>>(reader.ReadValue());
        Assert.Null(read["null"]);
        Assert.False(Assert.IsType<bool>(read["bool"]));
        Assert.Equal(-5L, Assert.IsType<long>(read["long"]));
        Assert.Equal(2.5, Assert.IsType<double>(read["double"]));
        Assert.Equal("s", Assert.IsType<string>(read["str"]));
        Assert.Equal([1, 2], Assert.IsType<byte[]>(read["bin"]));
        var array = Assert.IsType<object?[]>(read["array"]);
        Assert.Equal(1L, Assert.IsType<long>(array[0]));
        Assert.Equal("x", array[1]);
        Assert.Empty(Assert.IsType<object?[]>(array[2]));
        Assert.Empty(Assert.IsType<Dictionary<string, object?>>(array[3]));
        Assert.True(Assert.IsType<bool>(Assert.IsType<Dictionary<string, object?>>(read["map"])["inner"]));
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("C0", MessagePackKind.Nil)]
    [InlineData("C3", MessagePackKind.Boolean)]
    [InlineData("7F", MessagePackKind.WholeNumber)]
    [InlineData("E0", MessagePackKind.WholeNumber)]
    [InlineData("D3", MessagePackKind.WholeNumber)]
    [InlineData("CA", MessagePackKind.FloatingPoint)]
    [InlineData("BF", MessagePackKind.Str)]
    [InlineData("DB", MessagePackKind.Str)]
    [InlineData("C6", MessagePackKind.Binary)]
    [InlineData("9F", MessagePackKind.Array)]
    [InlineData("DD", MessagePackKind.Array)]
    [InlineData("80", MessagePackKind.Map)]
    [InlineData("DF", MessagePackKind.Map)]
    [InlineData("C7", MessagePackKind.Extension)]
    [InlineData("D8", MessagePackKind.Extension)]
    public void PeekKindNamesTheFormatFamilyWithoutConsuming(string hex, MessagePackKind expected)
    {
        var reader = new MessagePackReader(Bytes.FromHex(hex));

        Assert.Equal(expected, reader.PeekKind());
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void TryReadNilConsumesOnlyANil()
    {
        var reader = new MessagePackReader(Bytes.FromHex("C0 05"));

        Assert.True(reader.TryReadNil());
        Assert.False(reader.TryReadNil());
        Assert.Equal(5L, reader.ReadInt64());
    }

    [Theory]
    [InlineData("05")]
    [InlineData("FF")]
    [InlineData("CC 80")]
    [InlineData("CF 00 00 00 00 00 00 00 01")]
    [InlineData("D3 00 00 00 00 00 00 00 01")]
    [InlineData("C0")]
    [InlineData("C2")]
    [InlineData("CA 3F C0 00 00")]
    [InlineData("CB 3F F8 00 00 00 00 00 00")]
    [InlineData("A3 61 62 63")]
    [InlineData("D9 01 61")]
    [InlineData("DA 00 01 61")]
    [InlineData("DB 00 00 00 01 61")]
    [InlineData("C4 02 01 02")]
    [InlineData("C5 00 01 01")]
    [InlineData("C6 00 00 00 01 01")]
    [InlineData("92 01 91 A1 61")]
    [InlineData("DC 00 02 C0 C0")]
    [InlineData("DD 00 00 00 01 C0")]
    [InlineData("82 A1 61 92 01 02 A1 62 81 A1 63 C0")]
    [InlineData("DE 00 01 01 02")]
    [InlineData("DF 00 00 00 01 01 02")]
    [InlineData("D4 01 AA")]
    [InlineData("D5 01 AA BB")]
    [InlineData("D6 01 00 00 00 00")]
    [InlineData("D7 01 00 00 00 00 00 00 00 00")]
    [InlineData("D8 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00")]
    [InlineData("C7 03 05 AA BB CC")]
    [InlineData("C8 00 01 05 AA")]
    [InlineData("C9 00 00 00 01 05 AA")]
    [InlineData("91 D4 FF 00")]
    public void SkipPassesOverExactlyOneValueOfAnyKind(string hex)
    {
        // 0x2A behind the value shows Skip stopped exactly at its end.
        var reader = new MessagePackReader([.. Bytes.FromHex(hex), 0x2A]);

        reader.Skip();

        Assert.Equal(42L, reader.ReadInt64());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("")]
    [InlineData("CD 01")]
    [InlineData("CB 3F F8")]
    [InlineData("A3 61 62")]
    [InlineData("DA 00")]
    [InlineData("C4 02 01")]
    [InlineData("92 01")]
    [InlineData("DC 00")]
    [InlineData("81 A1 61")]
    [InlineData("DD FF FF FF FF")]
    [InlineData("DB FF FF FF FF 61")]
    public void TruncatedDataIsAFormatError(string hex)
    {
        var bytes = Bytes.FromHex(hex);

        Assert.Throws<FormatException>(() => new MessagePackReader(bytes).ReadValue());
        Assert.Throws<FormatException>(() => new MessagePackReader(bytes).Skip());
    }

    [Fact]
    public void CountsLargerThanTheRemainingDataAreRejectedBeforeAllocating()
    {
        Assert.Throws<FormatException>(() => new MessagePackReader(Bytes.FromHex("DD 7F FF FF FF C0")).ReadArrayHeader());
        Assert.Throws<FormatException>(() => new MessagePackReader(Bytes.FromHex("DE 00 02 C0 C0 C0")).ReadMapHeader());
    }

    [Fact]
    public void TheNeverUsedFormatByteIsRejected()
    {
        var bytes = Bytes.FromHex("C1");

        Assert.Throws<FormatException>(() => new MessagePackReader(bytes).PeekKind());
        Assert.Throws<FormatException>(() => new MessagePackReader(bytes).Skip());
    }

    [Theory]
    [InlineData("05", "string")]
    [InlineData("A0", "integer")]
    [InlineData("C0", "boolean")]
    [InlineData("A0", "binary")]
    [InlineData("80", "array")]
    [InlineData("90", "map")]
    [InlineData("A0", "double")]
    public void ReadingTheWrongFormatIsAFormatError(string hex, string read)
    {
        var bytes = Bytes.FromHex(hex);

        Assert.Throws<FormatException>(() =>
        {
            var reader = new MessagePackReader(bytes);
            _ = read switch
            {
                "string" => (object)reader.ReadString(),
                "integer" => reader.ReadInt64(),
                "boolean" => reader.ReadBoolean(),
                "binary" => reader.ReadBinary(),
                "array" => reader.ReadArrayHeader(),
                "map" => reader.ReadMapHeader(),
                "double" => reader.ReadDouble(),
                _ => throw new ArgumentOutOfRangeException(nameof(read)),
            };
        });
    }

    [Fact]
    public void MapKeysMustBeStringsToBecomeADictionary() =>
        Assert.Throws<FormatException>(() => new MessagePackReader(Bytes.FromHex("81 01 02")).ReadValue());

    [Fact]
    public void ExtensionsHaveNoArgumentRepresentation() =>
        Assert.Throws<FormatException>(() => new MessagePackReader(Bytes.FromHex("D4 01 AA")).ReadValue());

    [Fact]
    public void DeepNestingIsRefusedByReadValueButSkipped()
    {
        byte[] bytes = [.. Enumerable.Repeat((byte)0x91, MessagePackReader.MaxDepth + 2), 0xC0];

        Assert.Throws<FormatException>(() => new MessagePackReader(bytes).ReadValue());
        var reader = new MessagePackReader(bytes);
        reader.Skip();
        Assert.True(reader.End);
    }

    [Fact]
    public void NestingUpToTheLimitIsRead()
    {
        byte[] bytes = [.. Enumerable.Repeat((byte)0x91, MessagePackReader.MaxDepth), 0xC0];

        var value = new MessagePackReader(bytes).ReadValue();

        for (var i = 0; i < MessagePackReader.MaxDepth; i++)
        {
            value = Assert.Single(Assert.IsType<object?[]>(value));
        }

        Assert.Null(value);
    }
}
