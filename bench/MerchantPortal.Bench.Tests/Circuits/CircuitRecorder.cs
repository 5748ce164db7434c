using System.Collections.Concurrent;
using System.Text;
using MerchantPortal.Bench.Circuits;

namespace MerchantPortal.Bench.Tests.Circuits;

/// <summary>Records what circuits report, for assertions; callbacks arrive on the receive loops.</summary>
public sealed class CircuitRecorder
{
    public CircuitRecorder() =>
        Callbacks = new CircuitCallbacks
        {
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
    /// The first batch whose string table holds exactly <paramref name="text"/>: render batches write each
    /// string once as UTF-8 behind a 7-bit length prefix, so matching the prefix too rules out longer strings.
    /// </summary>
    public RenderBatchReceived? FirstBatchRendering(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        Assert.InRange(utf8.Length, 1, 127);
        byte[] needle = [(byte)utf8.Length, .. utf8];
        foreach (var (batch, bytes) in Contents)
        {
            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                return batch;
            }
        }

        return null;
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
