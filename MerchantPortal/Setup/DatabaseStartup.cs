using MerchantPortal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Setup;

internal static class DatabaseStartup
{
    /// <summary>
    /// Migrates the schema, creates roles, the configured bootstrap admin and, in Development,
    /// the demo data. Returns false (after logging why) when the app must not start.
    /// </summary>
    public static async Task<bool> PrepareDatabaseAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MerchantPortal.Database");
        try
        {
            await app.Services.MigratePortalDatabaseAsync(logger, app.Lifetime.ApplicationStopping);
            await SeedAsync(app.Services, app.Environment.IsDevelopment(), app.Configuration, logger);

            // Loads the shared key ring now, creating the first key if the database has none, so the
            // first sign-in does not pay for it and a database problem stops the start here.
            app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("MerchantPortal.Startup").Protect("ready");

            return true;
        }
        catch (PortalDatabaseException ex)
        {
            // Bad configuration or a failed connection: the message says which and where, so a
            // stack trace would only push it off the screen.
            logger.LogCritical("MerchantPortal cannot start: {Reason}", ex.Message);
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or AccountSetupException)
        {
            logger.LogCritical(ex, "MerchantPortal cannot start: {Reason}", ex.Message);
            return false;
        }
        catch (Exception ex) when (DatabaseWriteErrors.Describe(ex) is { } reason)
        {
            // A start-up write refused, e.g. the first Data Protection key on a read-only database
            // (it surfaces wrapped in a CryptographicException): say why rather than crash.
            logger.LogCritical("MerchantPortal cannot start: {Reason}", reason);
            return false;
        }
    }

    /// <summary>
    /// Roles, demo data and the bootstrap admin, each created only when missing. Nodes started
    /// together on a fresh database race to create the same rows: the loser's insert is refused
    /// as a duplicate (or a conflict) and nothing of that step is written, so it looks again (in a fresh scope,
    /// without the refused entity) and finds the winner's rows. Each pass gets further, so a
    /// few passes are enough; a duplicate after that is a real fault and stops the start.
    /// </summary>
    internal static async Task SeedAsync(IServiceProvider services, bool demoData, IConfiguration configuration, ILogger logger)
    {
        const int passes = 5;
        for (var pass = 1; ; pass++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var accounts = scope.ServiceProvider.GetRequiredService<AccountSetup>();
                await accounts.EnsureRolesAsync();
                if (demoData)
                {
                    await scope.ServiceProvider.GetRequiredService<DemoData>().EnsureCreatedAsync();
                }

                await accounts.EnsureBootstrapAdminAsync(configuration);
                return;
            }
            catch (Exception ex) when (pass < passes && IsDuplicate(ex))
            {
                logger.LogInformation("Start-up data was created by another process at the same time ({Reason}); looking again", ex.Message);
            }
        }
    }

    // A concurrency conflict counts too: the demo orders bump their shop's order counter, which
    // the other process has just bumped (SQLite reports that race this way, PostgreSQL as a duplicate).
    private static bool IsDuplicate(Exception ex) =>
        ex is AccountSetupException { IsDuplicate: true } || (ex is DbUpdateException update && DatabaseWriteErrors.IsLostRace(update));
}
