using System.Buffers.Binary;
using System.Text;

namespace MerchantPortal.Bench.Blazorpack;

/// <summary>
/// Reads MessagePack from one complete hub message. A ref struct over a span: the framing layer already
/// guarantees the whole payload is present, so running out of bytes means malformed data, reported as
/// <see cref="FormatException"/> like every other protocol violation.
/// </summary>
public ref struct MessagePackReader
{
    /// <summary>Guards the recursive <see cref="ReadValue"/> against stack exhaustion on hostile nesting.</summary>
    public const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public MessagePackReader(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    public readonly int Consumed => _position;

    public readonly bool End => _position >= _buffer.Length;

    public readonly MessagePackKind PeekKind()
    {
        if (End)
        {
            throw Truncated();
        }

        var code = _buffer[_position];
        return code switch
        {
            <= MessagePackCode.MaxPositiveFixInt or >= MessagePackCode.MinNegativeFixInt => MessagePackKind.WholeNumber,
            <= MessagePackCode.MaxFixMap => MessagePackKind.Map,
            <= MessagePackCode.MaxFixArray => MessagePackKind.Array,
            <= MessagePackCode.MaxFixStr => MessagePackKind.Str,
            MessagePackCode.Nil => MessagePackKind.Nil,
            MessagePackCode.False or MessagePackCode.True => MessagePackKind.Boolean,
            MessagePackCode.Bin8 or MessagePackCode.Bin16 or MessagePackCode.Bin32 => MessagePackKind.Binary,
            MessagePackCode.Float32 or MessagePackCode.Float64 => MessagePackKind.FloatingPoint,
            >= MessagePackCode.UInt8 and <= MessagePackCode.Int64 => MessagePackKind.WholeNumber,
            MessagePackCode.Str8 or MessagePackCode.Str16 or MessagePackCode.Str32 => MessagePackKind.Str,
            MessagePackCode.Array16 or MessagePackCode.Array32 => MessagePackKind.Array,
            MessagePackCode.Map16 or MessagePackCode.Map32 => MessagePackKind.Map,
            (>= MessagePackCode.Ext8 and <= MessagePackCode.Ext32) or (>= MessagePackCode.FixExt1 and <= MessagePackCode.FixExt16) => MessagePackKind.Extension,
            _ => throw new FormatException($"0x{code:X2} at offset {_position} is not a MessagePack format byte."),
        };
    }

    /// <summary>Consumes a nil if one is next; lets callers read "string or nil" fields without a second peek.</summary>
    public bool TryReadNil()
    {
        if (End)
        {
            throw Truncated();
        }

        if (_buffer[_position] != MessagePackCode.Nil)
        {
            return false;
        }

        _position++;
        return true;
    }

    public bool ReadBoolean()
    {
        var code = ReadByte();
        return code switch
        {
            MessagePackCode.True => true,
            MessagePackCode.False => false,
            _ => throw Unexpected(code, "a boolean"),
        };
    }

    /// <summary>Accepts every integer width, not only the smallest, because other encoders may pad.</summary>
    public long ReadInt64()
    {
        var code = ReadByte();
        switch (code)
        {
            case <= MessagePackCode.MaxPositiveFixInt:
                return code;
            case >= MessagePackCode.MinNegativeFixInt:
                return unchecked((sbyte)code);
            case MessagePackCode.UInt8:
                return ReadByte();
            case MessagePackCode.UInt16:
                return BinaryPrimitives.ReadUInt16BigEndian(ReadRaw(2));
            case MessagePackCode.UInt32:
                return BinaryPrimitives.ReadUInt32BigEndian(ReadRaw(4));
            case MessagePackCode.UInt64:
                var value = BinaryPrimitives.ReadUInt64BigEndian(ReadRaw(8));
                return value <= long.MaxValue
                    ? (long)value
                    : throw new FormatException($"The uint64 {value} does not fit a long.");
            case MessagePackCode.Int8:
                return unchecked((sbyte)ReadByte());
            case MessagePackCode.Int16:
                return BinaryPrimitives.ReadInt16BigEndian(ReadRaw(2));
            case MessagePackCode.Int32:
                return BinaryPrimitives.ReadInt32BigEndian(ReadRaw(4));
            case MessagePackCode.Int64:
                return BinaryPrimitives.ReadInt64BigEndian(ReadRaw(8));
            default:
                throw Unexpected(code, "an integer");
        }
    }

    /// <summary>
    /// Reads float32 or float64, and integers too: JavaScript encoders write whole-number doubles as
    /// ints, so a field that is a double on the .NET side can arrive as 0x05.
    /// </summary>
    public double ReadDouble()
    {
        switch (PeekKind())
        {
            case MessagePackKind.WholeNumber:
                return ReadInt64();
            case MessagePackKind.FloatingPoint:
                var code = ReadByte();
                return code == MessagePackCode.Float32
                    ? BinaryPrimitives.ReadSingleBigEndian(ReadRaw(4))
                    : BinaryPrimitives.ReadDoubleBigEndian(ReadRaw(8));
            default:
                throw Unexpected(_buffer[_position], "a float");
        }
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadStringBytes());

    public string? ReadStringOrNil() => TryReadNil() ? null : ReadString();

    /// <summary>The raw UTF-8 bytes of a str, without decoding; cheap for comparing against known names.</summary>
    public ReadOnlySpan<byte> ReadStringBytes()
    {
        var code = ReadByte();
        var length = code switch
        {
            >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr => code & 0x1F,
            MessagePackCode.Str8 => ReadByte(),
            MessagePackCode.Str16 => BinaryPrimitives.ReadUInt16BigEndian(ReadRaw(2)),
            MessagePackCode.Str32 => ReadLength32(),
            _ => throw Unexpected(code, "a string"),
        };
        return ReadRaw(length);
    }

    public byte[] ReadBinary() => ReadBinarySpan().ToArray();

    /// <summary>A view into the buffer, valid only as long as the buffer; copies nothing.</summary>
    public ReadOnlySpan<byte> ReadBinarySpan()
    {
        var code = ReadByte();
        var length = code switch
        {
            MessagePackCode.Bin8 => ReadByte(),
            MessagePackCode.Bin16 => BinaryPrimitives.ReadUInt16BigEndian(ReadRaw(2)),
            MessagePackCode.Bin32 => ReadLength32(),
            _ => throw Unexpected(code, "binary"),
        };
        return ReadRaw(length);
    }

    public int ReadArrayHeader()
    {
        var code = ReadByte();
        var count = code switch
        {
            >= MessagePackCode.MinFixArray and <= MessagePackCode.MaxFixArray => code & 0x0F,
            MessagePackCode.Array16 => BinaryPrimitives.ReadUInt16BigEndian(ReadRaw(2)),
            MessagePackCode.Array32 => ReadLength32(),
            _ => throw Unexpected(code, "an array"),
        };
        return CheckCount(count, 1);
    }

    public int ReadMapHeader()
    {
        var code = ReadByte();
        var count = code switch
        {
            >= MessagePackCode.MinFixMap and <= MessagePackCode.MaxFixMap => code & 0x0F,
            MessagePackCode.Map16 => BinaryPrimitives.ReadUInt16BigEndian(ReadRaw(2)),
            MessagePackCode.Map32 => ReadLength32(),
            _ => throw Unexpected(code, "a map"),
        };
        return CheckCount(count, 2);
    }

    /// <summary>
    /// Skips one value of any kind, extensions included. Iterative (a count of values still owed)
    /// rather than recursive, so no nesting depth can exhaust the stack.
    /// </summary>
    public void Skip()
    {
        long pending = 1;
        while (pending > 0)
        {
            pending--;
            var code = ReadByte();
            switch (code)
            {
                case <= MessagePackCode.MaxPositiveFixInt or >= MessagePackCode.MinNegativeFixInt:
                case MessagePackCode.Nil or MessagePackCode.False or MessagePackCode.True:
                    break;
                case <= MessagePackCode.MaxFixMap:
                    pending += 2L * (code & 0x0F);
                    break;
                case <= MessagePackCode.MaxFixArray:
                    pending += code & 0x0F;
                    break;
                case <= MessagePackCode.MaxFixStr:
                    ReadRaw(code & 0x1F);
                    break;
                case MessagePackCode.Bin8 or MessagePackCode.Str8:
                    ReadRaw(ReadByte());
                    break;
                case MessagePackCode.Bin16 or MessagePackCode.Str16:
                    ReadRaw(BinaryPrimitives.ReadUInt16BigEndian(ReadRaw(2)));
                    break;
                case MessagePackCode.Bin32 or MessagePackCode.Str32:
                    ReadRaw(ReadLength32());
                    break;
                case MessagePackCode.Ext8:
                    ReadRaw(1 + ReadByte());
                    break;
                case MessagePackCode.Ext16:
                    ReadRaw(1 + BinaryPrimitives.ReadUInt16BigEndian(ReadRaw(2)));
                    break;
                case MessagePackCode.Ext32:
                    var extLength = ReadLength32();
                    ReadRaw(1);
                    ReadRaw(extLength);
                    break;
                case MessagePackCode.UInt8 or MessagePackCode.Int8:
                    ReadRaw(1);
                    break;
                case MessagePackCode.UInt16 or MessagePackCode.Int16:
                    ReadRaw(2);
                    break;
                case MessagePackCode.UInt32 or MessagePackCode.Int32 or MessagePackCode.Float32:
                    ReadRaw(4);
                    break;
                case MessagePackCode.UInt64 or MessagePackCode.Int64 or MessagePackCode.Float64:
                    ReadRaw(8);
                    break;
                // fixext N: one type byte, then N data bytes.
                case MessagePackCode.FixExt1:
                    ReadRaw(2);
                    break;
                case MessagePackCode.FixExt2:
                    ReadRaw(3);
                    break;
                case MessagePackCode.FixExt4:
                    ReadRaw(5);
                    break;
                case MessagePackCode.FixExt8:
                    ReadRaw(9);
                    break;
                case MessagePackCode.FixExt16:
                    ReadRaw(17);
                    break;
                case MessagePackCode.Array16:
                    pending += BinaryPrimitives.ReadUInt16BigEndian(ReadRaw(2));
                    break;
                case MessagePackCode.Array32:
                    pending += ReadLength32();
                    break;
                case MessagePackCode.Map16:
                    pending += 2L * BinaryPrimitives.ReadUInt16BigEndian(ReadRaw(2));
                    break;
                case MessagePackCode.Map32:
                    pending += 2L * ReadLength32();
                    break;
                default:
                    throw new FormatException($"0x{code:X2} at offset {_position - 1} is not a MessagePack format byte.");
            }

            // Every owed value takes at least one byte; more owed than left means the counts are lies.
            if (pending > _buffer.Length - _position)
            {
                throw Truncated();
            }
        }
    }

    /// <summary>
    /// Reads any value into the argument representation: null, bool, long, double, string, byte[],
    /// object?[] and Dictionary&lt;string, object?&gt;. Extensions have no such representation and throw.
    /// </summary>
    public object? ReadValue() => ReadValue(0);

    private object? ReadValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"Values nest deeper than {MaxDepth} levels.");
        }

        switch (PeekKind())
        {
            case MessagePackKind.Nil:
                _position++;
                return null;
            case MessagePackKind.Boolean:
                return ReadBoolean();
            case MessagePackKind.WholeNumber:
                return ReadInt64();
            case MessagePackKind.FloatingPoint:
                return ReadDouble();
            case MessagePackKind.Str:
                return ReadString();
            case MessagePackKind.Binary:
                return ReadBinary();
            case MessagePackKind.Array:
                var items = new object?[ReadArrayHeader()];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = ReadValue(depth + 1);
                }

                return items;
            case MessagePackKind.Map:
                var count = ReadMapHeader();
                var map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
                for (var i = 0; i < count; i++)
                {
                    if (PeekKind() != MessagePackKind.Str)
                    {
                        throw Unexpected(_buffer[_position], "a string map key");
                    }

                    // Later duplicates win, as in most decoders; the protocol never sends any.
                    map[ReadString()] = ReadValue(depth + 1);
                }

                return map;
            default:
                throw new FormatException($"MessagePack extension 0x{_buffer[_position]:X2} at offset {_position} has no argument representation.");
        }
    }

    private byte ReadByte()
    {
        if (End)
        {
            throw Truncated();
        }

        return _buffer[_position++];
    }

    private ReadOnlySpan<byte> ReadRaw(int length)
    {
        if (length > _buffer.Length - _position)
        {
            throw Truncated();
        }

        var raw = _buffer.Slice(_position, length);
        _position += length;
        return raw;
    }

    /// <summary>32-bit lengths are unsigned; anything past int.MaxValue cannot be in a span anyway.</summary>
    private int ReadLength32()
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(ReadRaw(4));
        return length <= int.MaxValue ? (int)length : throw Truncated();
    }

    /// <summary>Rejects counts the remaining bytes cannot hold, before anyone allocates an array that size.</summary>
    private readonly int CheckCount(int count, int bytesPerItem) =>
        (long)count * bytesPerItem <= _buffer.Length - _position ? count : throw Truncated();

    private readonly FormatException Truncated() =>
        new($"The MessagePack data ends early (offset {_position} of {_buffer.Length}).");

    private readonly FormatException Unexpected(byte code, string expected) =>
        new($"Expected {expected} but found 0x{code:X2} near offset {_position}.");
}
