using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MerchantPortal.Nodes;

/// <summary>How many Blazor circuits are open on this node; the heartbeat reports it.</summary>
public sealed class NodeCircuits
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    internal void Opened() => Interlocked.Increment(ref _open);

    internal void Closed() => Interlocked.Decrement(ref _open);
}

/// <summary>One per circuit: counts it in <see cref="NodeCircuits"/> while it is open.</summary>
internal sealed class NodeCircuitHandler(NodeCircuits circuits) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        circuits.Opened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        circuits.Closed();
        return Task.CompletedTask;
    }
}
