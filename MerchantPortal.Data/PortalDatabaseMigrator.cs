using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.Data;

public static class PortalDatabaseMigrator
{
    /// <summary>
    /// Applies pending migrations (never EnsureCreated) and logs what it did. Any failure is
    /// rethrown with the database named, so the host can stop with a readable message.
    /// </summary>
    public static async Task MigratePortalDatabaseAsync(this IServiceProvider services, ILogger logger, CancellationToken ct = default)
    {
        var database = services.GetRequiredService<PortalDatabase>();
        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
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
            throw new InvalidOperationException($"Could not migrate the database ({database}): {ex.Message}", ex);
        }
    }
}
