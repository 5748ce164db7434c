using MerchantPortal.Bench.Blazorpack;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// Recognises JS.RenderBatch without materialising it. Batches are the bulk of the traffic and the
/// client only needs their id and size, so reading them through the general reader would copy every
/// batch into a new byte[] for nothing; everything else is small and goes through HubMessageReader.
/// </summary>
internal static class RenderBatchFrame
{
    public static bool TryRead(ReadOnlySpan<byte> payload, out long batchId, out ReadOnlySpan<byte> batch)
    {
        batchId = 0;
        batch = default;
        var reader = new MessagePackReader(payload);
        if (reader.ReadArrayHeader() < 5 || reader.ReadInt64() != HubMessageType.Invocation)
        {
            return false;
        }

        var headers = reader.ReadMapHeader();
        for (var i = 0; i < headers * 2; i++)
        {
            reader.Skip();
        }

        if (!reader.TryReadNil())
        {
            reader.Skip(); // invocation id; the server never expects an answer to a render batch beyond OnRenderCompleted
        }

        if (!reader.ReadStringBytes().SequenceEqual("JS.RenderBatch"u8) || reader.ReadArrayHeader() < 2)
        {
            return false;
        }

        batchId = reader.ReadInt64();
        batch = reader.ReadBinarySpan(); // a slice of the receive buffer, valid until the next receive
        return true;
    }
}
