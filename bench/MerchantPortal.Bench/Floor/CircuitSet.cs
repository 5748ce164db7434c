using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Floor;

/// <summary>
/// N circuits opened the way the probe opens them (<see cref="CircuitOpener"/>: prerendered page, StartCircuit, first render),
/// <see cref="Concurrency"/> at a time, circuit i on session i mod sessions and on <c>path(i)</c>; held
/// until disposed. The floor and push-floor commands' own set, so they can wrap the callbacks
/// (alerts on) and choose each circuit's page (push groups) without touching the probe.
/// </summary>
internal sealed class CircuitSet : IAsyncDisposable
{
    public const int Concurrency = 50;

    private readonly CircuitOpener _opener = new(firstRenderDeadline: TimeSpan.FromSeconds(60));
    private readonly List<ProbeCircuit> _held = [];
    private readonly List<int> _heldIndexes = [];

    private CircuitSet()
    {
    }

    public IReadOnlyList<ProbeCircuit> Held => _held;

    /// <summary>Each held circuit's index i (its session and path), in the order of <see cref="Held"/>.</summary>
    public IReadOnlyList<int> HeldIndexes => _heldIndexes;

    public FailureTally Failures => _opener.Failures;

    /// <summary>Circuits the server closed after they were held.</summary>
    public int Dropped => _held.Count(c => c.Closed is not null);

    /// <summary>The callbacks every circuit of a set uses: first render, marker inspection, closes.</summary>
    public CircuitCallbacks Callbacks => new()
    {
        RenderBatch = (client, _) => Find(client)?.FirstBatch.TrySetResult(),
        RenderBatchBytes = (client, batch, bytes) => Find(client)?.Deliveries.Inspect(batch.ReceivedTimestamp, bytes),
        Closed = (client, closed) =>
        {
            if (Find(client) is { } circuit)
            {
                circuit.Closed = closed;
                circuit.FirstBatch.TrySetException(new InvalidOperationException("closed before the first render"));
            }
        },
    };

    public static async Task<CircuitSet> OpenAsync(
        IReadOnlyList<MerchantSession> sessions, int count, Func<int, string> path, Func<CircuitSet, CircuitCallbacks> callbacks)
    {
        var set = new CircuitSet();
        var shared = callbacks(set);
        using var gate = new SemaphoreSlim(Concurrency);
        var opening = new List<Task<ProbeCircuit?>>(count);
        for (var i = 0; i < count; i++)
        {
            await gate.WaitAsync();
            opening.Add(set._opener.OpenAsync(sessions[i % sessions.Count], path(i), shared, gate));
        }

        var results = await Task.WhenAll(opening);
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] is { } circuit)
            {
                set._held.Add(circuit);
                set._heldIndexes.Add(i);
            }
        }

        return set;
    }

    private ProbeCircuit? Find(CircuitClient client) => _opener.Find(client);

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(_held, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (circuit, _) =>
            await circuit.Client.DisposeAsync());
        _held.Clear();
        _opener.Clear();
    }
}
