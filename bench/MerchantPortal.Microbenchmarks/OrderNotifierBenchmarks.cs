using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using MerchantPortal.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MerchantPortal.Microbenchmarks;

/// <summary>
/// OrderNotifier with every merchant's portal open in two tabs (2 subscribers per merchant),
/// plus one merchant with 20 tabs. [Params] runs the same operations at 1,000 and 10,000
/// merchants: the cost should not grow with the total, only with the target's subscribers.
/// </summary>
/// <remarks>
/// Publish only queues work items, so the plain Publish benchmarks measure the fan-out on the
/// publishing (poller) thread; the *AndWait ones also wait until the target's callbacks ran.
/// </remarks>
[MemoryDiagnoser]
// A short job: the machine is small and shared, and these operations are microseconds at most.
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class OrderNotifierBenchmarks
{
    private const int SubscribersPerMerchant = 2;
    private const int BusyMerchantSubscribers = 20;

    private ServiceProvider _services = null!;
    private OrderNotifier _notifier = null!;
    private Action<OrderNotification> _handler = null!;
    private OrderNotification _toTarget = null!;
    private OrderNotification _toBusy = null!;
    private int _pending;

    /// <summary>Merchants with two subscribers each (subscribers = 2 × this).</summary>
    [Params(1_000, 10_000)]
    public int Merchants { get; set; }

    // A merchant in the middle, so nothing depends on it being the first or last added.
    private int TargetMerchant => Merchants / 2;

    // An id outside 1..Merchants.
    private int BusyMerchant => Merchants + 1;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new OrderNotificationMetrics(_services.GetRequiredService<IMeterFactory>());
        _notifier = new OrderNotifier(metrics, NullLogger<OrderNotifier>.Instance);

        // One cached delegate for all subscribers, so Subscribe in the churn benchmark
        // does not also measure a delegate allocation.
        _handler = OnNotification;

        for (var merchant = 1; merchant <= Merchants; merchant++)
        {
            for (var tab = 0; tab < SubscribersPerMerchant; tab++)
            {
                _notifier.Subscribe(merchant, _handler);
            }
        }

        for (var tab = 0; tab < BusyMerchantSubscribers; tab++)
        {
            _notifier.Subscribe(BusyMerchant, _handler);
        }

        // Reused every call: the poller builds one notification per merchant per poll, which
        // is its cost, not the notifier's. The same version keeps LatestVersion's CAS out of it.
        _toTarget = new OrderNotification(TargetMerchant, Version: 1, NewOrderCount: 1, Changes: []);
        _toBusy = new OrderNotification(BusyMerchant, Version: 1, NewOrderCount: 1, Changes: []);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
    }

    // The *AndWait benchmarks wait for _pending to reach 0; in the plain Publish benchmarks
    // it just goes negative and nobody looks at it.
    private void OnNotification(OrderNotification notification) => Interlocked.Decrement(ref _pending);

    /// <summary>Fan-out cost on the publishing thread: lookup plus 2 thread-pool queues.</summary>
    [Benchmark(Baseline = true)]
    public int PublishToOneMerchant() => _notifier.Publish(_toTarget);

    /// <summary>End to end: publish and wait until the merchant's 2 subscribers have run.</summary>
    [Benchmark]
    public int PublishToOneMerchantAndWait() => PublishAndWait(_toTarget, SubscribersPerMerchant);

    /// <summary>A merchant with 20 tabs: 20 thread-pool queues on the publishing thread.</summary>
    [Benchmark]
    public int PublishToBusyMerchant() => _notifier.Publish(_toBusy);

    /// <summary>End to end for the 20-tab merchant: all 20 callbacks have run.</summary>
    [Benchmark]
    public int PublishToBusyMerchantAndWait() => PublishAndWait(_toBusy, BusyMerchantSubscribers);

    /// <summary>
    /// A circuit opening and closing (a tab opened, then closed) while all the others stay
    /// subscribed; leaves the notifier as it found it.
    /// </summary>
    [Benchmark]
    public void SubscribeDisposeChurn() => _notifier.Subscribe(TargetMerchant, _handler).Dispose();

    private int PublishAndWait(OrderNotification notification, int expected)
    {
        Volatile.Write(ref _pending, expected);
        var queued = _notifier.Publish(notification);

        // Spin (yielding, never Sleep(1), which would add a millisecond) rather than block on an
        // event: what is measured is then the notifier and thread pool, not the waiter's wake-up.
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _pending) > 0)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return queued;
    }
}
