namespace MerchantPortal.Bench.Circuits;

/// <summary>Sees a render batch's bytes in place, without a copy; <paramref name="bytes"/> dies when the call returns.</summary>
public delegate void RenderBatchInspector(CircuitClient client, RenderBatchReceived batch, ReadOnlySpan<byte> bytes);
