using System.Buffers;
using System.Text;
using System.Text.Json;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// The first argument of UpdateRootComponents, as blazor.web.js builds it:
/// <c>{"batchId":1,"operations":[{"type":"add","ssrComponentId":1,"marker":{...start marker...}},...]}</c>.
/// ssrComponentIds count from 1 in the order the markers were registered (sorted by sequence).
/// </summary>
public static class RootComponentOperations
{
    public static string AddAll(IReadOnlyList<string> markers, long batchId = 1)
    {
        ArgumentNullException.ThrowIfNull(markers);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("batchId", batchId);
            json.WriteStartArray("operations");
            for (var i = 0; i < markers.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("type", "add");
                json.WriteNumber("ssrComponentId", i + 1);
                json.WritePropertyName("marker");
                // The browser sends the parsed marker back minus its DOM nodes; the raw text is the same object.
                json.WriteRawValue(markers[i]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
