using MerchantPortal.Data;
using MerchantPortal.Bench.Sweep;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Bench.Floor;

/// <summary>
/// Switches every alert setting on for the bench merchants' users, as a merchant who turned them all
/// on in alert settings has them: sound, desktop notifications, the alarm repeating every 30 s
/// (the settings live on the user row: AlertSettings, SoundAlerts).
/// </summary>
internal static class AlertsOnUsers
{
    public const int RepeatSeconds = 30;

    /// <summary>Returns how many users it switched on.</summary>
    public static async Task<int> SwitchOnAsync(string databasePath)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(databasePath), Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDataRegistration.Configure(options, new PortalDatabase(DatabaseProvider.Sqlite, connection.ToString(), databasePath));
        await using var db = new PortalDbContext(options.Options);
        var domain = "@" + BenchAccounts.EmailDomain;
        return await db.Users.Where(u => u.Email!.EndsWith(domain)).ExecuteUpdateAsync(set => set
            .SetProperty(u => u.SoundAlerts, true)
            .SetProperty(u => u.AlertNotifications, true)
            .SetProperty(u => u.AlertRepeatSeconds, RepeatSeconds));
    }
}
