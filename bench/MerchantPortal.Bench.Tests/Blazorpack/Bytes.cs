using System.Buffers;
using MerchantPortal.Bench.Blazorpack;

namespace MerchantPortal.Bench.Tests.Blazorpack;

internal delegate void WriteAction(MessagePackWriter writer);

/// <summary>Hex in, hex out: expected encodings read like the tables in the MessagePack spec.</summary>
internal static class Bytes
{
    public static byte[] FromHex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static string Normalize(string hex) => Hex(FromHex(hex));

    public static byte[] Write(WriteAction write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new MessagePackWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Frame(HubMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        new HubMessageWriter().Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>0, 1, 2, ... wrapping at 251 (a prime), so misplaced slices do not line up by accident.</summary>
    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i % 251);
        }

        return bytes;
    }
}
