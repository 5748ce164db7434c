using System.Collections.Concurrent;

namespace MerchantPortal.Orders;

/// <summary>
/// In-process fan-out of order changes to the circuits of one merchant. Publishing touches
/// only that merchant's subscribers; each one is called on the thread pool, so a subscriber
/// that throws or blocks never holds up the poller or the other subscribers.
/// </summary>
public sealed class OrderNotifier(OrderNotificationMetrics metrics, ILogger<OrderNotifier> logger)
{
    // Arrays are replaced under the lock, never changed in place, so Publish reads without locking.
    private readonly ConcurrentDictionary<int, Subscription[]> _byMerchant = new();
    private readonly Lock _gate = new();
    private int _count;
    private long _latestVersion;

    public int SubscriberCount => Volatile.Read(ref _count);

    /// <summary>The highest <see cref="OrderNotification.Version"/> published so far.</summary>
    public long LatestVersion => Interlocked.Read(ref _latestVersion);

    public int SubscriberCountFor(int merchantId) => _byMerchant.TryGetValue(merchantId, out var subscribers) ? subscribers.Length : 0;

    /// <summary>
    /// Calls <paramref name="handler"/> for every notification of the merchant, on a thread-pool
    /// thread (components must marshal with InvokeAsync). Dispose the result to stop.
    /// </summary>
    public IDisposable Subscribe(int merchantId, Action<OrderNotification> handler)
    {
        var subscription = new Subscription(this, merchantId, handler);
        lock (_gate)
        {
            _byMerchant[merchantId] = _byMerchant.TryGetValue(merchantId, out var current) ? [.. current, subscription] : [subscription];
            _count++;
        }

        metrics.SubscriberAdded();
        return subscription;
    }

    /// <summary>Queues the notification for each current subscriber of its merchant; returns how many.</summary>
    public int Publish(OrderNotification notification)
    {
        RaiseLatestVersion(notification.Version);
        if (!_byMerchant.TryGetValue(notification.MerchantId, out var subscribers))
        {
            return 0;
        }

        foreach (var subscription in subscribers)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Subscription.Deliver(state.Notification), (Subscription: subscription, Notification: notification), preferLocal: false);
        }

        metrics.NotificationsSent(subscribers.Length);
        return subscribers.Length;
    }

    private void RaiseLatestVersion(long version)
    {
        var current = Interlocked.Read(ref _latestVersion);
        while (version > current)
        {
            var seen = Interlocked.CompareExchange(ref _latestVersion, version, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_byMerchant.TryGetValue(subscription.MerchantId, out var current))
            {
                return;
            }

            var index = Array.IndexOf(current, subscription);
            if (index < 0)
            {
                return;
            }

            if (current.Length == 1)
            {
                _byMerchant.TryRemove(subscription.MerchantId, out _);
            }
            else
            {
                _byMerchant[subscription.MerchantId] = [.. current.AsSpan(0, index), .. current.AsSpan(index + 1)];
            }

            _count--;
        }

        metrics.SubscriberRemoved();
    }

    private sealed class Subscription(OrderNotifier owner, int merchantId, Action<OrderNotification> handler) : IDisposable
    {
        private int _disposed;

        public int MerchantId { get; } = merchantId;

        public void Deliver(OrderNotification notification)
        {
            // A notification queued just before Dispose is dropped, not delivered to a dead circuit.
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            try
            {
                handler(notification);
            }
            catch (Exception ex)
            {
                owner.LogSubscriberFailure(ex, MerchantId);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(this);
            }
        }
    }

    private void LogSubscriberFailure(Exception ex, int merchantId) =>
        logger.LogWarning(ex, "An order-notification subscriber of merchant {MerchantId} threw; the others were unaffected", merchantId);
}
