using MerchantPortal.Bench.Circuits;

namespace MerchantPortal.Bench.Probe;

/// <summary>One probe circuit: its client, whose dashboard it shows, and when it first rendered or closed.</summary>
internal sealed class ProbeCircuit(CircuitClient client, string email)
{
    public CircuitClient Client { get; } = client;

    public string Email { get; } = email;

    /// <summary>Orders written for this merchant that this circuit has not rendered yet.</summary>
    public DeliveryTracker.TrackedCircuit Deliveries { get; } = new();

    /// <summary>Completes at the first render batch, or faults if the connection ends before it.</summary>
    public TaskCompletionSource FirstBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when the connection ends; read after the hold to count circuits the server dropped.</summary>
    public CircuitClosed? Closed { get; set; }
}
