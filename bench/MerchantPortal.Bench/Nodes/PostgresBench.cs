using System.Diagnostics;
using System.Globalization;
using MerchantPortal.Bench.Sweep;
using MerchantPortal.Data;
using MerchantPortal.Data.Merchants;
using MerchantPortal.Data.Orders;
using MerchantPortal.Data.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MerchantPortal.Bench.Nodes;

/// <summary>
/// The smallest PostgreSQL side the deploy and nodes commands need, until prepare-db and the order writer
/// speak PostgreSQL themselves: a fresh database of the run's own, the bench merchants (names from
/// <see cref="BenchAccounts"/>, one shared password hash as prepare-db does) and an order writer at a set rate.
/// </summary>
public static class PostgresBench
{
    /// <summary>A new empty database on the server of <paramref name="serverConnectionString"/>; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string serverConnectionString, string prefix)
    {
        var name = prefix + "_" + Guid.NewGuid().ToString("N")[..10];
        await AdministerAsync(serverConnectionString, $"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await AdministerAsync(connectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>Adds bench merchants 1..<paramref name="count"/> with their users to a database the app has migrated (roles exist).</summary>
    public static async Task PrepareMerchantsAsync(string connectionString, int count, string password)
    {
        await using var db = Open(connectionString);
        var roleName = new UpperInvariantLookupNormalizer().NormalizeName(PortalRoles.Merchant);
        var roleId = await db.Roles.Where(r => r.NormalizedName == roleName).Select(r => r.Id).SingleAsync();
        var hash = new PasswordHasher<PortalUser>().HashPassword(new PortalUser(), password);
        var now = DateTime.UtcNow;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var i = 1; i <= count; i++)
        {
            var email = BenchAccounts.Email(i);
            var user = new PortalUser
            {
                Id = Guid.NewGuid().ToString(),
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString(),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                LockoutEnabled = true,
                Merchant = new Merchant { Name = BenchAccounts.ShopName(i), CreatedAt = now },
            };
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleId });
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The merchant ids of these users, in the same order.</summary>
    public static async Task<IReadOnlyList<int>> MerchantIdsAsync(string connectionString, IReadOnlyList<string> emails)
    {
        await using var db = Open(connectionString);
        var normalized = emails.Select(e => e.ToUpperInvariant()).ToList();
        var byEmail = await db.Users.AsNoTracking()
            .Where(u => normalized.Contains(u.NormalizedEmail!) && u.MerchantId != null)
            .ToDictionaryAsync(u => u.NormalizedEmail!, u => u.MerchantId!.Value);
        return [.. normalized.Select(e => byEmail[e])];
    }

    /// <summary>
    /// Inserts orders for random merchants at <paramref name="perSecond"/> for <paramref name="duration"/> from
    /// this process (neither node writes them), each with a unique customer name as its marker; the
    /// callback hears of each just before its commit, as Probe/OrderWriter's does.
    /// </summary>
    public static async Task<int> WriteOrdersAsync(string connectionString, IReadOnlyList<int> merchantIds, double perSecond, TimeSpan duration,
        Func<int, string, Action<long>> expect)
    {
        var random = new Random(1);
        var count = 0;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / perSecond));
        await using var db = Open(connectionString);
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync())
        {
            var merchantId = merchantIds[random.Next(merchantIds.Count)];
            var marker = string.Create(CultureInfo.InvariantCulture, $"Nodes {++count:D7}{random.Next(1000):D3}");
            db.ChangeTracker.Clear();
            var merchant = await db.Merchants.SingleAsync(m => m.Id == merchantId);
            db.Orders.Add(new Order
            {
                MerchantId = merchantId,
                Number = merchant.NextOrderNumber(),
                CustomerName = marker,
                Total = 10 + random.Next(9000) / 100m,
                Currency = "EUR",
                ItemCount = 1,
                Status = OrderStatus.New,
                CreatedAt = DateTime.UtcNow,
                StatusChangedAt = DateTime.UtcNow,
            });
            var committed = expect(merchantId, marker);
            await db.SaveChangesAsync();
            committed(Stopwatch.GetTimestamp());
        }

        return count;
    }

    /// <summary>The pids of the server processes serving this database now (for their CPU time in /proc).</summary>
    public static async Task<IReadOnlyList<int>> BackendPidsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        var pids = new List<int>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }

    private static PortalDbContext Open(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDataRegistration.Configure(options, new PortalDatabase(DatabaseProvider.PostgreSql, connectionString, "bench"));
        return new PortalDbContext(options.Options);
    }

    private static async Task AdministerAsync(string connectionString, string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
