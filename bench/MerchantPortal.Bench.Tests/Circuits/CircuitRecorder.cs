using System.Collections.Concurrent;
using System.Text;
using MerchantPortal.Bench.Circuits;

namespace MerchantPortal.Bench.Tests.Circuits;

/// <summary>Records what circuits report, for assertions; callbacks arrive on the receive loops.</summary>
public sealed class CircuitRecorder
{
    /// <param name="jsResults">JSON results for JS calls by identifier; other calls are answered with null.</param>
    public CircuitRecorder(IReadOnlyDictionary<string, string>? jsResults = null) =>
        Callbacks = new CircuitCallbacks
        {
            JSResult = (_, identifier) => jsResults?.GetValueOrDefault(identifier),
            RenderBatch = (_, batch) => Batches.Enqueue(batch),
            RenderBatchBytes = (_, batch, bytes) => Contents.Enqueue((batch, bytes.ToArray())),
            JSInvoked = (_, identifier) => JSIdentifiers.Enqueue(identifier),
            ServerError = (_, error) => ServerErrors.Enqueue(error),
            RootComponentsUpdated = (_, batchId) => RootComponentBatches.Enqueue(batchId),
            Closed = (_, closed) => Closes.Enqueue(closed),
        };

    public CircuitCallbacks Callbacks { get; }

    public ConcurrentQueue<RenderBatchReceived> Batches { get; } = new();

    /// <summary>Copies of every batch; a test can afford them, the harness would not.</summary>
    public ConcurrentQueue<(RenderBatchReceived Batch, byte[] Bytes)> Contents { get; } = new();

    /// <summary>
    /// The first batch whose strings show the order number <paramref name="number"/> ("#25"), on its
    /// own or inside a longer string (a toast's "New order #25", a row of markup), but never as the
    /// start of a longer number ("#250"): render batches write strings as UTF-8, so the bytes match.
    /// </summary>
    public RenderBatchReceived? FirstBatchRendering(string number)
    {
        var needle = Encoding.UTF8.GetBytes(number);
        foreach (var (batch, bytes) in Contents)
        {
            var rest = bytes.AsSpan();
            for (var at = rest.IndexOf(needle); at >= 0; at = rest.IndexOf(needle))
            {
                var after = at + needle.Length;
                if (after >= rest.Length || !char.IsAsciiDigit((char)rest[after]))
                {
                    return batch;
                }

                rest = rest[after..];
            }
        }

        return null;
    }

    /// <summary>The first batch whose strings hold <paramref name="text"/>.</summary>
    public RenderBatchReceived? FirstBatchContaining(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return Contents.Where(c => c.Bytes.AsSpan().IndexOf(needle) >= 0).Select(c => (RenderBatchReceived?)c.Batch).FirstOrDefault();
    }

    public ConcurrentQueue<string> JSIdentifiers { get; } = new();

    public ConcurrentQueue<string> ServerErrors { get; } = new();

    public ConcurrentQueue<long> RootComponentBatches { get; } = new();

    public ConcurrentQueue<CircuitClosed> Closes { get; } = new();

    public string Describe() =>
        $"batches [{string.Join(", ", Batches.Select(b => $"{b.BatchId}:{b.Length}B"))}], " +
        $"JS calls [{string.Join(", ", JSIdentifiers)}], server errors [{string.Join(" | ", ServerErrors)}], " +
        $"closes [{string.Join(", ", Closes)}]";
}
