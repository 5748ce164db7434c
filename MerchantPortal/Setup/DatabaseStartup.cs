using MerchantPortal.Data;
using Microsoft.AspNetCore.DataProtection;

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
            await using var scope = app.Services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountSetup>();
            await accounts.EnsureRolesAsync();
            if (app.Environment.IsDevelopment())
            {
                await scope.ServiceProvider.GetRequiredService<DemoData>().EnsureCreatedAsync();
            }

            await accounts.EnsureBootstrapAdminAsync(app.Configuration);

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
}
