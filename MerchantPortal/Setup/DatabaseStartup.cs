using MerchantPortal.Data;

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
    }
}
