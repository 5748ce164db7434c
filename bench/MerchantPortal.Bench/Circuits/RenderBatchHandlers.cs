using System.Buffers.Binary;
using System.Text;

namespace MerchantPortal.Bench.Circuits;

/// <summary>An event handler a render batch attached to an element: the element's data-testid (or null), the event and its id.</summary>
public readonly record struct RenderedHandler(string Element, string? TestId, string EventName, ulong HandlerId);

/// <summary>
/// Reads which event handlers a render batch attached, which is what a browser knows when it
/// dispatches an event: the handler id on an element. The layout is the one blazor.web.js reads
/// (OutOfProcessRenderBatch): five int32 offsets at the end (updated components, reference frames,
/// disposed component ids, disposed event handler ids, string table); reference frames are 20 bytes,
/// an int32 frame type first; an element (1) names itself by string index at byte 8, its
/// attributes (3) follow it, name at 4, value at 8, event handler id as uint64 at 12.
/// </summary>
public static class RenderBatchHandlers
{
    private const int FrameSize = 20;
    private const int ElementFrame = 1;
    private const int AttributeFrame = 3;

    public static List<RenderedHandler> Read(ReadOnlySpan<byte> batch)
    {
        var found = new List<RenderedHandler>();
        var framesAt = BinaryPrimitives.ReadInt32LittleEndian(batch[^16..]);
        var stringsAt = BinaryPrimitives.ReadInt32LittleEndian(batch[^4..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(batch[framesAt..]);
        string? element = null;
        string? testId = null;
        var pending = new List<(string Event, ulong Id)>();
        for (var i = 0; i < count; i++)
        {
            var frame = batch.Slice(framesAt + 4 + (i * FrameSize), FrameSize);
            var type = BinaryPrimitives.ReadInt32LittleEndian(frame);
            if (type == AttributeFrame && element is not null)
            {
                var name = ReadString(batch, stringsAt, BinaryPrimitives.ReadInt32LittleEndian(frame[4..]));
                var handlerId = BinaryPrimitives.ReadUInt64LittleEndian(frame[12..]);
                if (handlerId != 0 && name is not null)
                {
                    pending.Add((name.StartsWith("on", StringComparison.Ordinal) ? name[2..] : name, handlerId));
                }
                else if (name == "data-testid")
                {
                    testId = ReadString(batch, stringsAt, BinaryPrimitives.ReadInt32LittleEndian(frame[8..]));
                }

                continue;
            }

            Flush(found, element, testId, pending);
            element = type == ElementFrame ? ReadString(batch, stringsAt, BinaryPrimitives.ReadInt32LittleEndian(frame[8..])) : null;
            testId = null;
        }

        Flush(found, element, testId, pending);
        return found;
    }

    private static void Flush(List<RenderedHandler> found, string? element, string? testId, List<(string Event, ulong Id)> pending)
    {
        foreach (var (name, id) in pending)
        {
            found.Add(new RenderedHandler(element ?? "", testId, name, id));
        }

        pending.Clear();
    }

    /// <summary>A string table entry: an int32 position of LEB128-length-prefixed UTF-8; index -1 is null.</summary>
    private static string? ReadString(ReadOnlySpan<byte> batch, int tableAt, int index)
    {
        if (index < 0)
        {
            return null;
        }

        var at = BinaryPrimitives.ReadInt32LittleEndian(batch[(tableAt + (index * 4))..]);
        var length = 0;
        var shift = 0;
        byte b;
        do
        {
            b = batch[at++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        return Encoding.UTF8.GetString(batch.Slice(at, length));
    }
}
