using System.Diagnostics;
using System.Text;
using MerchantPortal.Bench.Circuits;

namespace MerchantPortal.Bench.Soak;

/// <summary>
/// One churned circuit: whose dashboard it shows, and the orders written while it was open that it has
/// not rendered yet. It accepts new expectations only between its first render and the start of its close,
/// so "missed" means an order the app should have shown to a tab that was open the whole time.
/// </summary>
internal sealed class SoakCircuit(CircuitClient client, int merchantId)
{
    private readonly List<SoakOrder> _pending = [];
    private bool _accepting;

    public CircuitClient Client { get; } = client;

    public int MerchantId { get; } = merchantId;

    public TaskCompletionSource FirstBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CircuitClosed? Closed { get; set; }

    public int Pending
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    public void Accept(bool accepting)
    {
        lock (_pending)
        {
            _accepting = accepting;
        }
    }

    public bool TryExpect(SoakOrder order)
    {
        lock (_pending)
        {
            if (_accepting)
            {
                _pending.Add(order);
            }

            return _accepting;
        }
    }

    /// <summary>On the circuit's receive loop: which pending orders this render batch shows.</summary>
    public void Inspect(long receivedTimestamp, ReadOnlySpan<byte> batch, Action<double> delivered)
    {
        lock (_pending)
        {
            for (var i = _pending.Count - 1; i >= 0; i--)
            {
                if (batch.IndexOf(_pending[i].Marker) >= 0)
                {
                    var committed = _pending[i].Committed;
                    delivered(committed == 0 ? 0 : Math.Max(0, Stopwatch.GetElapsedTime(committed, receivedTimestamp).TotalMilliseconds));
                    _pending.RemoveAt(i);
                }
            }
        }
    }
}

/// <summary>One written order: its marker (the customer name) and the writer's commit timestamp, 0 until then.</summary>
internal sealed class SoakOrder(string marker)
{
    private long _committed;

    public byte[] Marker { get; } = Encoding.UTF8.GetBytes(marker);

    public long Committed
    {
        get => Volatile.Read(ref _committed);
        set => Volatile.Write(ref _committed, value);
    }
}
