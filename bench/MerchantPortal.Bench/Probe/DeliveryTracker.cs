using System.Diagnostics;
using System.Text;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Times every written order to every open circuit of its merchant: from the writer's commit to the
/// arrival of the first render batch whose bytes contain the order's marker (render batches carry
/// their text as UTF-8 in the string table). Writer and circuits run in this process, so both ends
/// use the same monotonic clock.
/// </summary>
public sealed class DeliveryTracker
{
    private readonly Dictionary<int, List<TrackedCircuit>> _circuitsByMerchant = [];
    private readonly List<Delivery> _deliveries = [];
    private readonly Lock _gate = new();

    /// <summary>Before any write: which circuits show which merchant.</summary>
    public void Add(int merchantId, TrackedCircuit circuit)
    {
        if (!_circuitsByMerchant.TryGetValue(merchantId, out var list))
        {
            _circuitsByMerchant[merchantId] = list = [];
        }

        list.Add(circuit);
    }

    /// <summary>
    /// The writer's callback, called before the order's commit (a fast app could render it before the
    /// commit call returns): every circuit of the merchant now expects the marker. The returned action
    /// takes the commit timestamp.
    /// </summary>
    public Action<long> Expect(int merchantId, string marker)
    {
        var circuits = _circuitsByMerchant.GetValueOrDefault(merchantId) ?? [];
        var delivery = new Delivery(Encoding.UTF8.GetBytes(marker), circuits.Count);
        lock (_gate)
        {
            _deliveries.Add(delivery);
        }

        foreach (var circuit in circuits)
        {
            circuit.Expect(delivery);
        }

        return committed => delivery.Committed = committed;
    }

    /// <summary>Waits until every expected delivery arrived or the deadline passed.</summary>
    public async Task DrainAsync(TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (Outstanding > 0 && clock.Elapsed < deadline)
        {
            await Task.Delay(50);
        }
    }

    public int Outstanding
    {
        get
        {
            lock (_gate)
            {
                return _deliveries.Sum(d => d.Outstanding);
            }
        }
    }

    /// <summary>Commit-to-render times in milliseconds, one per (order, circuit) that arrived; and how many never did.</summary>
    public (List<double> Milliseconds, int Missing) Results()
    {
        lock (_gate)
        {
            var times = _deliveries
                .Where(d => d.Committed != 0)
                .SelectMany(d => d.Arrivals.Select(a => Stopwatch.GetElapsedTime(d.Committed, a).TotalMilliseconds))
                .ToList();
            return (times, _deliveries.Sum(d => d.Outstanding));
        }
    }

    /// <summary>
    /// The deliveries by when their order was committed, in slices of <paramref name="slice"/> from the
    /// first commit: whether latency grew through the window (a backlog) or came in bursts (pauses),
    /// which the window's percentiles alone cannot tell.
    /// </summary>
    public List<DeliverySlice> Timeline(TimeSpan slice)
    {
        lock (_gate)
        {
            var committed = _deliveries.Where(d => d.Committed != 0).ToList();
            if (committed.Count == 0)
            {
                return [];
            }

            var first = committed.Min(d => d.Committed);
            return [.. committed
                .GroupBy(d => (int)(Stopwatch.GetElapsedTime(first, d.Committed) / slice))
                .OrderBy(g => g.Key)
                .Select(g =>
                {
                    var times = g.SelectMany(d => d.Arrivals.Select(a => Stopwatch.GetElapsedTime(d.Committed, a).TotalMilliseconds)).Order().ToList();
                    return new DeliverySlice(slice * g.Key, times.Count, g.Sum(d => d.Outstanding), Rank(times, 50), Rank(times, 99));
                })];
        }
    }

    private static double? Rank(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>One slice of <see cref="Timeline"/>: orders committed from <see cref="From"/> on, their deliveries' p50 and p99.</summary>
    public readonly record struct DeliverySlice(TimeSpan From, int Arrived, int Missing, double? P50Ms, double? P99Ms);

    /// <summary>One written order and its arrivals; shared by the circuits of its merchant.</summary>
    public sealed class Delivery(byte[] marker, int expected)
    {
        private readonly List<long> _arrivals = new(expected);

        public byte[] Marker { get; } = marker;

        private long _committed;

        public long Committed
        {
            get => Volatile.Read(ref _committed);
            set => Volatile.Write(ref _committed, value);
        }

        public int Outstanding
        {
            get
            {
                lock (_arrivals)
                {
                    return expected - _arrivals.Count;
                }
            }
        }

        public IReadOnlyList<long> Arrivals
        {
            get
            {
                lock (_arrivals)
                {
                    return [.. _arrivals];
                }
            }
        }

        public void Arrived(long timestamp)
        {
            lock (_arrivals)
            {
                _arrivals.Add(timestamp);
            }
        }
    }

    /// <summary>One circuit's orders not seen yet; <see cref="Inspect"/> runs on its receive loop.</summary>
    public sealed class TrackedCircuit
    {
        private readonly List<Delivery> _pending = [];

        public void Expect(Delivery delivery)
        {
            lock (_pending)
            {
                _pending.Add(delivery);
            }
        }

        public void Inspect(long receivedTimestamp, ReadOnlySpan<byte> batch)
        {
            lock (_pending)
            {
                for (var i = _pending.Count - 1; i >= 0; i--)
                {
                    if (batch.IndexOf(_pending[i].Marker) >= 0)
                    {
                        _pending[i].Arrived(receivedTimestamp);
                        _pending.RemoveAt(i);
                    }
                }
            }
        }
    }
}
