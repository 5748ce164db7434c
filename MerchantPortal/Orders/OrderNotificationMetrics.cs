using System.Diagnostics.Metrics;

namespace MerchantPortal.Orders;

/// <summary>
/// Meter "MerchantPortal.OrderNotifications" (System.Diagnostics.Metrics; read with
/// dotnet-counters, and exported over OTLP when an endpoint is configured: MerchantPortal.Telemetry).
/// </summary>
public sealed class OrderNotificationMetrics
{
    public const string MeterName = "MerchantPortal.OrderNotifications";

    private readonly UpDownCounter<long> _subscribers;
    private readonly Counter<long> _polls;
    private readonly Counter<long> _changes;
    private readonly Counter<long> _notifications;
    private readonly Counter<long> _pollErrors;
    private readonly Histogram<double> _pollDuration;

    public OrderNotificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _subscribers = meter.CreateUpDownCounter<long>("merchantportal.notifier.subscribers", description: "Live subscriptions (open merchant circuits).");
        _polls = meter.CreateCounter<long>("merchantportal.poller.polls", description: "Change polls issued.");
        _changes = meter.CreateCounter<long>("merchantportal.poller.changes", description: "Order changes seen by the poller.");
        _notifications = meter.CreateCounter<long>("merchantportal.notifier.notifications", description: "Notifications handed to subscribers.");
        _pollErrors = meter.CreateCounter<long>("merchantportal.poller.errors", description: "Polls that failed (database unreachable or erroring).");
        _pollDuration = meter.CreateHistogram<double>("merchantportal.poller.duration", unit: "ms", description: "Time one poll took, queries included.");
    }

    public void SubscriberAdded() => _subscribers.Add(1);

    public void SubscriberRemoved() => _subscribers.Add(-1);

    public void Polled(double milliseconds, int changes)
    {
        _polls.Add(1);
        _pollDuration.Record(milliseconds);
        if (changes > 0)
        {
            _changes.Add(changes);
        }
    }

    public void PollFailed() => _pollErrors.Add(1);

    public void NotificationsSent(int count) => _notifications.Add(count);
}
