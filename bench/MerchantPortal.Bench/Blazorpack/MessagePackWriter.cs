using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MerchantPortal.Bench.Blazorpack;

/// <summary>
/// Writes the MessagePack subset the SignalR hub protocol needs, always choosing the smallest encoding
/// as the spec recommends. A ref struct so that writing a message allocates nothing beyond the output.
/// </summary>
public readonly ref struct MessagePackWriter
{
    private readonly IBufferWriter<byte> _output;

    public MessagePackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    public void WriteNil() => WriteByte(MessagePackCode.Nil);

    public void WriteBoolean(bool value) => WriteByte(value ? MessagePackCode.True : MessagePackCode.False);

    public void WriteInt64(long value)
    {
        if (value >= 0)
        {
            WriteUInt64((ulong)value);
            return;
        }

        var span = _output.GetSpan(9);
        int written;
        if (value >= -32)
        {
            span[0] = unchecked((byte)value);
            written = 1;
        }
        else if (value >= sbyte.MinValue)
        {
            span[0] = MessagePackCode.Int8;
            span[1] = unchecked((byte)value);
            written = 2;
        }
        else if (value >= short.MinValue)
        {
            span[0] = MessagePackCode.Int16;
            BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)value);
            written = 3;
        }
        else if (value >= int.MinValue)
        {
            span[0] = MessagePackCode.Int32;
            BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)value);
            written = 5;
        }
        else
        {
            span[0] = MessagePackCode.Int64;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
            written = 9;
        }

        _output.Advance(written);
    }

    public void WriteUInt64(ulong value)
    {
        var span = _output.GetSpan(9);
        int written;
        if (value <= MessagePackCode.MaxPositiveFixInt)
        {
            span[0] = (byte)value;
            written = 1;
        }
        else if (value <= byte.MaxValue)
        {
            span[0] = MessagePackCode.UInt8;
            span[1] = (byte)value;
            written = 2;
        }
        else if (value <= ushort.MaxValue)
        {
            span[0] = MessagePackCode.UInt16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
            written = 3;
        }
        else if (value <= uint.MaxValue)
        {
            span[0] = MessagePackCode.UInt32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
            written = 5;
        }
        else
        {
            span[0] = MessagePackCode.UInt64;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            written = 9;
        }

        _output.Advance(written);
    }

    /// <summary>Always float64: float32 would silently lose precision, and a few bytes do not matter here.</summary>
    public void WriteDouble(double value)
    {
        var span = _output.GetSpan(9);
        span[0] = MessagePackCode.Float64;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        _output.Advance(9);
    }

    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteStringHeader(length);
        var span = _output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        _output.Advance(length);
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        var span = _output.GetSpan(5);
        int written;
        if (value.Length <= byte.MaxValue)
        {
            span[0] = MessagePackCode.Bin8;
            span[1] = (byte)value.Length;
            written = 2;
        }
        else if (value.Length <= ushort.MaxValue)
        {
            span[0] = MessagePackCode.Bin16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value.Length);
            written = 3;
        }
        else
        {
            span[0] = MessagePackCode.Bin32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value.Length);
            written = 5;
        }

        _output.Advance(written);
        _output.Write(value);
    }

    public void WriteArrayHeader(int count) =>
        WriteContainerHeader(count, MessagePackCode.MinFixArray, MessagePackCode.Array16, MessagePackCode.Array32);

    public void WriteMapHeader(int count) =>
        WriteContainerHeader(count, MessagePackCode.MinFixMap, MessagePackCode.Map16, MessagePackCode.Map32);

    /// <summary>
    /// Writes a hub argument. Accepts what the reader produces (null, bool, long, double, string, byte[],
    /// object?[], Dictionary&lt;string, object?&gt;) plus the other CLR integer widths, float and lists,
    /// so callers need not widen values themselves.
    /// </summary>
    public void WriteValue(object? value)
    {
        switch (value)
        {
            case null: WriteNil(); break;
            case bool b: WriteBoolean(b); break;
            case sbyte i: WriteInt64(i); break;
            case byte i: WriteUInt64(i); break;
            case short i: WriteInt64(i); break;
            case ushort i: WriteUInt64(i); break;
            case int i: WriteInt64(i); break;
            case uint i: WriteUInt64(i); break;
            case long i: WriteInt64(i); break;
            case ulong i: WriteUInt64(i); break;
            case float f: WriteDouble(f); break;
            case double d: WriteDouble(d); break;
            case string s: WriteString(s); break;
            case byte[] bytes: WriteBinary(bytes); break;
            case ReadOnlyMemory<byte> memory: WriteBinary(memory.Span); break;
            case IReadOnlyDictionary<string, object?> map:
                WriteMapHeader(map.Count);
                foreach (var (key, item) in map)
                {
                    WriteString(key);
                    WriteValue(item);
                }

                break;
            case IReadOnlyList<object?> list:
                WriteArrayHeader(list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    WriteValue(list[i]);
                }

                break;
            default:
                throw new NotSupportedException($"Cannot write a {value.GetType()} as MessagePack; convert it to one of the supported argument types first.");
        }
    }

    private void WriteStringHeader(int length)
    {
        var span = _output.GetSpan(5);
        int written;
        if (length <= MessagePackCode.MaxFixStrLength)
        {
            span[0] = (byte)(MessagePackCode.MinFixStr | length);
            written = 1;
        }
        else if (length <= byte.MaxValue)
        {
            span[0] = MessagePackCode.Str8;
            span[1] = (byte)length;
            written = 2;
        }
        else if (length <= ushort.MaxValue)
        {
            span[0] = MessagePackCode.Str16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            written = 3;
        }
        else
        {
            span[0] = MessagePackCode.Str32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
            written = 5;
        }

        _output.Advance(written);
    }

    private void WriteContainerHeader(int count, byte fixCode, byte code16, byte code32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var span = _output.GetSpan(5);
        int written;
        if (count <= MessagePackCode.MaxFixCount)
        {
            span[0] = (byte)(fixCode | count);
            written = 1;
        }
        else if (count <= ushort.MaxValue)
        {
            span[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)count);
            written = 3;
        }
        else
        {
            span[0] = code32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)count);
            written = 5;
        }

        _output.Advance(written);
    }

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }
}
