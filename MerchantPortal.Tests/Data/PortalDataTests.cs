using MerchantPortal.Admin;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MerchantPortal.Tests.Data;

/// <summary>
/// The migrations and the app's own data code (admin services, order queries and decisions)
/// on every provider with an engine here: SQLite files and fresh databases on the test
/// command's PostgreSQL cluster.
/// </summary>
public sealed class PortalDataTests
{
    [Fact]
    public async Task MigrationsBuildTheWholeSchemaOnAFreshPostgreSqlDatabase()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);

        await database.MigrateAsync();
        await database.MigrateAsync(); // a second start changes nothing

        await using var db = database.CreateDbContext();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(ct));
        var tables = await ColumnsAsync(database, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.Superset(new HashSet<string> { "Merchants", "Orders", "OrderChanges", "Activity", "AspNetUsers", "AspNetRoles", "AspNetUserRoles" }, tables.ToHashSet());
        var total = await ColumnsAsync(database,
            "SELECT data_type || ' ' || numeric_precision || ',' || numeric_scale FROM information_schema.columns WHERE table_name = 'Orders' AND column_name = 'Total'");
        Assert.Equal(["numeric 18,2"], total);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheAppsDataCodeStoresMerchantsAndOrdersAndReadsTotalsBackExactly(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        var merchant = await database.Services.GetRequiredService<MerchantAdmin>().CreateAsync("Corner Shop", AdminActor.CommandLine, ct);
        var seeder = database.Services.GetRequiredService<OrderSeeder>();
        // Amounts a binary float cannot hold exactly, the smallest and the largest allowed.
        decimal[] totals = [0.01m, 0.10m, 0.29m, 19.99m, 1234.56m, 99999.99m, 100000m];
        foreach (var (total, i) in totals.Select((t, i) => (t, i)))
        {
            await seeder.CreateOrderAsync("corner shop", $"Customer {i}", total, AdminActor.CommandLine, ct);
        }

        var seeded = await seeder.SeedAsync(new SeedRequest(merchant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), 5), AdminActor.CommandLine, ct: ct);

        await using var db = database.CreateDbContext();
        var ours = db.OfMerchant(merchant.Id).Where(o => o.CustomerName.StartsWith("Customer "));
        Assert.Equal(totals, await ours.OrderBy(o => o.Number).Select(o => o.Total).ToListAsync(ct));
        // Compared, sorted and summed by the database itself, not in memory.
        Assert.Equal(1, await ours.CountAsync(o => o.Total == 19.99m, ct));
        Assert.Equal(totals.OrderDescending(), await ours.OrderByDescending(o => o.Total).Select(o => o.Total).ToListAsync(ct));
        Assert.Equal(totals.Sum(), await ours.SumAsync(o => o.Total, ct));
        Assert.Equal("Created 5 orders for Corner Shop: #8–#12.", seeded.ToString());
        Assert.Equal(12, await db.CountNewAsync(merchant.Id, ct));

        var first = await ours.OrderBy(o => o.Number).FirstAsync(ct);
        Assert.True(await db.DecideAsync(merchant.Id, first.Id, OrderStatus.Accepted, DateTime.UtcNow, ct: ct));
        Assert.False(await db.DecideAsync(merchant.Id, first.Id, OrderStatus.Rejected, DateTime.UtcNow, ct: ct));
        Assert.Equal(11, await db.CountNewAsync(merchant.Id, ct));
        var read = await db.FindForMerchantAsync(merchant.Id, first.Id, ct);
        Assert.Equal((OrderStatus.Accepted, 0.01m, "Customer 0"), (read!.Status, read.Total, read.CustomerName));
        Assert.Equal(["Created merchant", .. Enumerable.Repeat("Created order", totals.Length), "Seeded orders"],
            await db.Activity.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(ct));
    }

    private static async Task<List<string>> ColumnsAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
