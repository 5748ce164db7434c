using Microsoft.AspNetCore.SignalR.Protocol;

namespace MerchantPortal.Bench.Circuits;

/// <summary>What blazor.web.js does when a circuit's connection dropped: a new connection asks the server for the old circuit.</summary>
public sealed partial class CircuitClient
{
    /// <summary>
    /// Opens a new connection and calls the hub's ConnectCircuit with the id of a circuit an earlier
    /// client held. True: the server still had it and it is this client's now (render batches follow).
    /// False: the server answered but no longer knows it (a restarted process, or past its retention):
    /// the browser then reloads the page into a new circuit.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection or the handshake failed (the server is not reachable yet).</exception>
    public async Task<bool> ConnectCircuitAsync(string circuitId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(circuitId);
        await ConnectAsync(cancellationToken);
        // The same invocation id as StartCircuit: one call with an answer per client, whichever it is.
        await SendAsync(new InvocationMessage(StartCircuitInvocationId, "ConnectCircuit", [circuitId], streamIds: null), cancellationToken);
        if (await _startCircuit.Task.WaitAsync(cancellationToken) is true)
        {
            CircuitId = circuitId;
            return true;
        }

        return false;
    }
}
