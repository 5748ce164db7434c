using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MerchantPortal.Health;

/// <summary>
/// Logs when /health/ready's answer changes, once per change: "not ready" with the failing
/// checks' reasons, and "ready" when it comes back. A load balancer probing every 2 s would
/// otherwise repeat the same outage in the log every 2 s.
/// </summary>
public sealed class ReadinessLog(ILogger<ReadinessLog> logger)
{
    private readonly Lock _gate = new();
    private bool? _ready;
    private long _unreadySince;

    public void Record(HealthReport report)
    {
        var ready = report.Status == HealthStatus.Healthy;
        lock (_gate)
        {
            if (_ready == ready)
            {
                return;
            }

            var before = _ready;
            _ready = ready;
            if (!ready)
            {
                _unreadySince = Stopwatch.GetTimestamp();
                logger.LogWarning("Not ready ({Path} answers 503): {Reason}", HealthRegistration.ReadyPath, Reasons(report));
            }
            else if (before is null)
            {
                logger.LogInformation("Ready ({Path} answers 200)", HealthRegistration.ReadyPath);
            }
            else
            {
                logger.LogInformation("Ready again after {Duration} ({Path} answers 200)",
                    Stopwatch.GetElapsedTime(_unreadySince), HealthRegistration.ReadyPath);
            }
        }
    }

    /// <summary>Each failing check with its description or, for a check that threw, the exception's message.</summary>
    private static string Reasons(HealthReport report) =>
        string.Join("; ", report.Entries
            .Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message ?? e.Value.Status.ToString()}"));
}
