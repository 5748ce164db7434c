namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// One JS.RenderBatch as it arrived. <see cref="ReceivedTimestamp"/> is a <see cref="System.Diagnostics.Stopwatch"/>
/// timestamp taken when the frame holding it finished arriving, so a harness can subtract its own
/// write timestamp. Only the length is kept: the batch is acknowledged, never applied.
/// </summary>
public readonly record struct RenderBatchReceived(long BatchId, long ReceivedTimestamp, int Length);
