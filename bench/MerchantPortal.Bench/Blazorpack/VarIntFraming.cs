using System.Buffers;

namespace MerchantPortal.Bench.Blazorpack;

/// <summary>
/// The binary hub protocols' framing: every message is preceded by its length as a varint, 7 bits per
/// byte, least significant group first, high bit set while more bytes follow. SignalR caps lengths at
/// 2 GiB - 1, which takes at most 5 bytes, the 5th carrying only 3 bits.
/// </summary>
public static class VarIntFraming
{
    public const int MaxPrefixLength = 5;

    public static int WriteLengthPrefix(int length, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var remaining = (uint)length;
        var written = 0;
        do
        {
            var group = (byte)(remaining & 0x7F);
            remaining >>= 7;
            destination[written++] = remaining == 0 ? group : (byte)(group | 0x80);
        }
        while (remaining != 0);

        return written;
    }

    public static void WriteFrame(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var prefixLength = WriteLengthPrefix(payload.Length, output.GetSpan(MaxPrefixLength));
        output.Advance(prefixLength);
        output.Write(payload);
    }

    /// <summary>
    /// Takes the first complete message off <paramref name="buffer"/>. Returns false, leaving the buffer
    /// as it was, when the prefix or the payload has not fully arrived; transports split and merge
    /// messages freely, so the caller keeps the bytes and tries again after the next receive.
    /// </summary>
    /// <exception cref="FormatException">The prefix is longer than 5 bytes or exceeds 2 GiB - 1.</exception>
    public static bool TryParseFrame(ref ReadOnlySpan<byte> buffer, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        uint length = 0;
        var prefixLength = 0;
        while (true)
        {
            if (prefixLength == buffer.Length)
            {
                return false;
            }

            var current = buffer[prefixLength];
            if (prefixLength == MaxPrefixLength - 1 && current > 0x07)
            {
                throw new FormatException("The message length prefix exceeds 5 bytes or 2 GiB - 1.");
            }

            length |= (uint)(current & 0x7F) << (7 * prefixLength);
            prefixLength++;
            if ((current & 0x80) == 0)
            {
                break;
            }
        }

        if (length > (uint)(buffer.Length - prefixLength))
        {
            return false;
        }

        payload = buffer.Slice(prefixLength, (int)length);
        buffer = buffer[(prefixLength + (int)length)..];
        return true;
    }
}
