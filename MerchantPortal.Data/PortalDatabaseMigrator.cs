using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.Data;

public static class PortalDatabaseMigrator
{
    /// <summary>
    /// Applies pending migrations (never EnsureCreated) and logs what it did. A failed connection
    /// is a <see cref="PortalDatabaseException"/> saying which failure and where; any other failure
    /// is rethrown with the database named. Either way the host can stop with a readable message.
    /// </summary>
    public static async Task MigratePortalDatabaseAsync(this IServiceProvider services, ILogger logger, CancellationToken ct = default)
    {
        var database = services.GetRequiredService<PortalDatabase>();
        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            // Connect first, on its own: EF's Migrate would create a missing server database, and
            // an operator who named the wrong one should hear so rather than get an empty new one.
            await db.Database.OpenConnectionAsync(ct);
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count == 0)
            {
                logger.LogInformation("Database {Database}: schema is up to date", database);
            }
            else
            {
                logger.LogInformation("Database {Database}: applying {Count} migration(s): {Migrations}",
                    database, pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(ct);
                logger.LogInformation("Database {Database}: migrations applied", database);
            }

            if (database.Provider == DatabaseProvider.Sqlite)
            {
                // WAL lets the dashboards and the change poller read while a writer commits.
                // The mode is stored in the file, so setting it once per start is enough.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw DatabaseConnectionErrors.Describe(database, ex) is { } reason
                ? new PortalDatabaseException(reason, ex)
                : new InvalidOperationException($"Could not migrate the database ({database}): {ex.Message}", ex);
        }
    }
}
