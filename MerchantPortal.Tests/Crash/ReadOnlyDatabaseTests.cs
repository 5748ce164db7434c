using System.Diagnostics;
using MerchantPortal.Admin;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MerchantPortal.Tests.Crash;

public sealed class ReadOnlyDatabaseOnSqlite() : ReadOnlyDatabaseTests(DatabaseProvider.Sqlite);

public sealed class ReadOnlyDatabaseOnPostgreSql() : ReadOnlyDatabaseTests(DatabaseProvider.PostgreSql);

/// <summary>
/// A database that refuses writes. SQLite: the file's folder bind-mounted read-only
/// (<c>mount -o remount,bind,ro</c>; the tests run as root, and root ignores file modes, so
/// chmod 0444 would prove nothing). PostgreSQL: <c>ALTER DATABASE ... SET
/// default_transaction_read_only = on</c>, as a hot standby answers. Every writer (seed, single
/// order, merchant and user forms, acknowledge, decide, the seed-orders command) fails with a
/// message saying the database is read-only and writes nothing; the dashboard's and the orders
/// list's queries keep answering.
/// </summary>
public abstract class ReadOnlyDatabaseTests(DatabaseProvider provider)
{
    private static readonly AdminActor Actor = new("ro@test.local", null);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WritersGetAClearErrorAndWriteNothingWhileReadersKeepAnswering()
    {
        await using var writable = await TestDatabase.CreateAsync(provider);
        // Prepared as the app prepares it (schema, demo data, the first Data Protection key), so
        // the command below starts and reaches its write.
        var (prepared, text) = await PortalApp.RunCommandAsync(writable, "create-merchant", "--name", "Other Shop");
        Assert.True(prepared == 0, text);
        var readOnly = await ReadOnlyAsync(writable);
        try
        {
            await using var db = writable.CreateOutsideContext();
            var shop = await db.Merchants.SingleAsync(m => m.Name == "Demo Shop 1", Ct);
            var newOrder = await db.Orders.FirstAsync(o => o.MerchantId == shop.Id && o.Status == OrderStatus.New, Ct);
            var before = await CountsAsync(writable);
            var services = readOnly.Services;

            Task Seed() => services.GetRequiredService<OrderSeeder>().SeedAsync(new SeedRequest("Demo Shop 1", 50), Actor, null, Ct);
            Task Spread() => services.GetRequiredService<OrderSeeder>().SeedAsync(new SeedRequest("Demo Shop 1", 2, TimeSpan.FromSeconds(1)), Actor, null, Ct);
            Task OneOrder() => services.GetRequiredService<OrderSeeder>().CreateOrderAsync("Demo Shop 1", "Ann", 10m, Actor, Ct);
            Task CreateMerchant() => services.GetRequiredService<MerchantAdmin>().CreateAsync("Read Only Shop", Actor, Ct);
            Task Rename() => services.GetRequiredService<MerchantAdmin>().RenameAsync(shop.Id, "Renamed Shop", Actor, Ct);
            Task CreateUser() => services.GetRequiredService<UserAdmin>().CreateMerchantUserAsync("ro-user@shop.test", "Demo!2345", "Demo Shop 1", Actor, Ct);
            async Task Acknowledge()
            {
                await using var context = readOnly.CreateDbContext();
                await context.AcknowledgeAsync(shop.Id, newOrder.Id, "merchant1@demo.local", DateTime.UtcNow, Ct);
            }

            async Task Decide()
            {
                await using var context = readOnly.CreateDbContext();
                await context.DecideAsync(shop.Id, newOrder.Id, OrderStatus.Accepted, DateTime.UtcNow, "merchant1@demo.local", Ct);
            }

            foreach (var (name, write) in new (string, Func<Task>)[]
                { ("seed", Seed), ("spread seed", Spread), ("single order", OneOrder), ("create merchant", CreateMerchant), ("rename", Rename), ("create user", CreateUser), ("acknowledge", Acknowledge), ("decide", Decide) })
            {
                var error = await Assert.ThrowsAnyAsync<Exception>(write);
                var message = DatabaseWriteErrors.Describe(error);
                Assert.True(message is not null && message.Contains("read-only", StringComparison.Ordinal), $"{name}: {error}");
                Assert.Equal(before, await CountsAsync(writable));
            }

            // The command line says the same, exit code 1, nothing written.
            var (exit, output) = await PortalApp.RunToExitAsync(readOnly.ConnectionString, ["seed-orders", "--merchant", "Demo Shop 1", "--count", "3"], readOnly.AppEnvironment());
            Assert.True(exit == 1 && output.Contains("read-only", StringComparison.Ordinal), $"exit {exit}: {output}");
            Assert.Equal(before, await CountsAsync(writable));

            // Readers: the badge's and alarm's counts, the orders list and an order's page.
            await using var reader = readOnly.CreateDbContext();
            Assert.Equal(await db.CountNewAsync(shop.Id, Ct), await reader.CountNewAsync(shop.Id, Ct));
            Assert.True(await reader.CountNewAsync(shop.Id, Ct) > 0);
            _ = await reader.AlarmAsync(shop.Id, Ct);
            Assert.Equal(24, await reader.OfMerchant(shop.Id).CountAsync(Ct));
            Assert.NotNull(await reader.FindForMerchantAsync(shop.Id, newOrder.Id, Ct));
        }
        finally
        {
            await readOnly.ReleaseAsync();
        }
    }

    /// <summary>The same database, seen read-only by services of its own.</summary>
    private static async Task<ReadOnlyView> ReadOnlyAsync(TestDatabase writable)
    {
        if (writable.Provider == DatabaseProvider.Sqlite)
        {
            // WAL: a reader on a read-only mount needs the -shm file to exist (it cannot create it);
            // this connection on the writable path keeps it there, as a running app does.
            var keeper = new SqliteConnection($"Data Source={writable.FilePath}");
            await keeper.OpenAsync(Ct);
            // Opening alone does not create -shm (the first read does), and the last connection to
            // close deletes it: read once so it exists before the folder turns read-only.
            await using (var read = keeper.CreateCommand())
            {
                read.CommandText = "SELECT count(*) FROM sqlite_master;";
                await read.ExecuteScalarAsync(Ct);
            }

            var folder = Path.GetDirectoryName(writable.FilePath)!;
            var mountPoint = Directory.CreateTempSubdirectory("merchantportal-ro-").FullName;
            await RunAsync("mount", "--bind", folder, mountPoint);
            await RunAsync("mount", "-o", "remount,bind,ro", mountPoint);
            return new ReadOnlyView(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(mountPoint, Path.GetFileName(writable.FilePath))}", async () =>
            {
                SqliteConnection.ClearAllPools();
                await RunAsync("umount", "-l", mountPoint);
                Directory.Delete(mountPoint);
                await keeper.DisposeAsync();
            });
        }

        var name = new NpgsqlConnectionStringBuilder(writable.ConnectionString).Database!;
        var (exit, output) = await Psql.RunAsync(writable.ConnectionString, $"ALTER DATABASE \"{name}\" SET default_transaction_read_only = on");
        Assert.True(exit == 0, output);
        // Sessions pick the setting up when they start: drop this process's pooled ones.
        NpgsqlConnection.ClearAllPools();
        return new ReadOnlyView(DatabaseProvider.PostgreSql, writable.ConnectionString, () => Task.CompletedTask);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
    }

    private sealed record Counts(int Merchants, int Users, int Orders, int Changes, int Activity, int Acknowledged, int Decided);

    private static async Task<Counts> CountsAsync(TestDatabase database)
    {
        await using var db = database.CreateOutsideContext();
        return new Counts(await db.Merchants.CountAsync(Ct), await db.Users.CountAsync(Ct), await db.Orders.CountAsync(Ct),
            await db.OrderChanges.CountAsync(Ct), await db.Activity.CountAsync(Ct),
            await db.Orders.CountAsync(o => o.AcknowledgedAt != null, Ct), await db.Orders.CountAsync(o => o.Status != OrderStatus.New, Ct));
    }

    private sealed class ReadOnlyView(DatabaseProvider provider, string connectionString, Func<Task> release)
    {
        public string ConnectionString => connectionString;

        public ServiceProvider Services { get; } = TestDatabase.BuildServices(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:MerchantPortal"] = connectionString,
        });

        public PortalDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

        public Dictionary<string, string> AppEnvironment() => new() { ["Database__Provider"] = provider.ToString() };

        public async Task ReleaseAsync()
        {
            await Services.DisposeAsync();
            await release();
        }
    }
}
