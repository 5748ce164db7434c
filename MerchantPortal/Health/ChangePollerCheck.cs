using MerchantPortal.Orders;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Health;

/// <summary>
/// Unready until the change poller's first successful poll (open dashboards would get no live
/// orders yet), and while its polls have been failing for longer than <see cref="FailingIntervals"/>
/// poll intervals. A shorter run of failures (one dropped connection) keeps the node ready: the
/// poller retries and loses nothing, so taking the node out would only move its sessions.
/// </summary>
public sealed class ChangePollerCheck(OrderChangePoller poller, IOptions<OrderNotificationOptions> options, TimeProvider clock) : IHealthCheck
{
    public const int FailingIntervals = 3;

    private readonly OrderNotificationOptions _options = options.Value;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        if (_options.Delivery == OrderDelivery.DashboardPolling)
        {
            // The benchmark baseline runs no poller: nothing to wait for.
            return HealthCheckResult.Healthy("No change poller runs (OrderNotifications:Delivery is DashboardPolling).");
        }

        var failingSince = poller.FailingSince;
        if (poller.LastPolledAt is null)
        {
            return HealthCheckResult.Unhealthy(failingSince is null
                ? "The order change poller has not polled yet."
                : $"The order change poller has not polled successfully yet; failing since {failingSince:O}.");
        }

        var threshold = FailingIntervals * _options.PollInterval;
        if (failingSince is { } since && clock.GetUtcNow() - since > threshold)
        {
            return HealthCheckResult.Unhealthy($"The order change poller has been failing since {since:O} (longer than {threshold}).");
        }

        return HealthCheckResult.Healthy();
    }
}
