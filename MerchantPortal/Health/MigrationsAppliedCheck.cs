using MerchantPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MerchantPortal.Health;

/// <summary>
/// Unready while the database lacks a migration this build knows: the node's queries would fail
/// on a missing table or column (e.g. a database restored from an older backup, or a start-up
/// that did not migrate).
/// </summary>
public sealed class MigrationsAppliedCheck(IDbContextFactory<PortalDbContext> dbFactory) : IHealthCheck
{
    // Once none is pending, none can become pending while this process runs, so the answer is
    // remembered and later probes cost the database nothing. "Pending" is this build's migrations
    // missing from the database's history, and the history only grows: a newer node that applies
    // newer migrations adds rows this build does not know, which are applied, never pending here.
    private volatile bool _upToDate;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_upToDate)
        {
            return HealthCheckResult.Healthy();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            return HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied: {string.Join(", ", pending)}");
        }

        _upToDate = true;
        return HealthCheckResult.Healthy();
    }
}
