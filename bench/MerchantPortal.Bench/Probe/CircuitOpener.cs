using System.Collections.Concurrent;
using MerchantPortal.Bench.Circuits;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Opens circuits the way a browser tab does (load the prerendered page, start the circuit, wait for the
/// first render), each within <paramref name="firstRenderDeadline"/>, and tallies why the others failed.
/// The probe and the floor commands open through it; their callbacks find a circuit's state with <see cref="Find"/>.
/// </summary>
internal sealed class CircuitOpener(TimeSpan firstRenderDeadline)
{
    private readonly ConcurrentDictionary<CircuitClient, ProbeCircuit> _circuits = new();

    public FailureTally Failures { get; } = new();

    public ProbeCircuit? Find(CircuitClient client) => _circuits.GetValueOrDefault(client);

    /// <summary>Returns the held circuit, or null after tallying why it failed. Releases the gate once settled.</summary>
    public async Task<ProbeCircuit?> OpenAsync(MerchantSession session, string path, CircuitCallbacks callbacks, SemaphoreSlim gate)
    {
        var stage = "page";
        ProbeCircuit? circuit = null;
        try
        {
            using var deadline = new CancellationTokenSource(firstRenderDeadline);
            try
            {
                var page = await PrerenderedPage.LoadAsync(session, path, deadline.Token);
                stage = "start";
                circuit = new ProbeCircuit(new CircuitClient(session, callbacks), session.Email);
                _circuits[circuit.Client] = circuit;
                await circuit.Client.StartAsync(page, deadline.Token);
                stage = "first render";
                await circuit.FirstBatch.Task.WaitAsync(deadline.Token);
                return circuit;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                Failures.Add(stage, $"no answer within the {firstRenderDeadline.TotalSeconds:F0} s deadline");
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Net.WebSockets.WebSocketException
                or IOException or FormatException or OperationCanceledException)
            {
                Failures.Add(stage, e);
            }
        }
        finally
        {
            gate.Release();
        }

        if (circuit is not null)
        {
            await circuit.Client.DisposeAsync();
            _circuits.TryRemove(circuit.Client, out _);
        }

        return null;
    }

    /// <summary>Forgets every circuit (after they are closed).</summary>
    public void Clear() => _circuits.Clear();
}
