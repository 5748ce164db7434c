using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MerchantPortal.Health;

/// <summary>
/// Stops waiting for a check when its token is cancelled, whether or not the check itself honours
/// the token. The health service cancels the token at the registration's timeout but then still
/// awaits the check, and Npgsql ignores the token while it waits for a server's first answer, so
/// against a host that accepts and never answers a probe would hang for the connection string's
/// Timeout (15 s by default). The abandoned attempt ends by itself at that driver timeout.
/// </summary>
/// <remarks>
/// The check runs in a scope of its own, disposed when the check ends rather than when the probe
/// does: the health service disposes its per-check scope as soon as the answer is in, and
/// disposing a DbContext whose connection is still opening throws ("Can't close, connection is in
/// state Connecting"), which would turn a timed-out probe into a 500.
/// </remarks>
internal sealed class TimeBoxedCheck(IServiceScopeFactory scopes, Func<IServiceProvider, IHealthCheck> create) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var check = RunAsync(context, cancellationToken);
        // An abandoned attempt fails later (the driver's timeout); observing it here keeps that out
        // of TaskScheduler.UnobservedTaskException.
        _ = check.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        // Cancelled, the health service reports the check as timed out (Unhealthy).
        return check.WaitAsync(cancellationToken);
    }

    private async Task<HealthCheckResult> RunAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await create(scope.ServiceProvider).CheckHealthAsync(context, cancellationToken);
    }
}
