using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Tests.Crash;

public sealed class KillMidSeedOnSqlite() : KillMidSeedTests(DatabaseProvider.Sqlite);

public sealed class KillMidSeedOnPostgreSql() : KillMidSeedTests(DatabaseProvider.PostgreSql);

/// <summary>
/// The seed-orders command (a process of its own, the same code as the admin page) killed with
/// SIGKILL while it writes: a 1,000-order batch is there entirely or not at all, order numbers
/// stay unique and the counter consistent, the next seed carries on; a spread seed's activity
/// entry names exactly the orders that were committed before the kill.
/// </summary>
public abstract partial class KillMidSeedTests(DatabaseProvider provider)
{
    private const string Shop = "Crash Shop";
    private const string AppName = "crash-seeder";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABatchKilledInsideItsTransactionLeavesNoOrderAndTheNextSeedNumbersFromOne()
    {
        await using var database = await PreparedDatabaseAsync();
        // Each attempt freezes the command a little later inside its transaction; an attempt whose
        // batch committed before the freeze is checked too (all 1,000 there) and another one made.
        var killedInside = 0;
        int[] delaysMs = [0, 20, 60, 150];
        foreach (var delay in delaysMs.TakeWhile(_ => killedInside < 2))
        {
            var before = await ShopOrdersAsync(database);
            var output = new StringBuilder();
            using var seeder = StartCommand(database, output, "seed-orders", "--merchant", Shop, "--count", "1000");
            await KillSignals.WaitForWriterAsync(seeder, database, AppName);
            if (delay > 0)
            {
                await Task.Delay(delay, Ct); // a point later inside the transaction (the freeze below checks it is still there)
            }

            if (!seeder.HasExited)
            {
                KillSignals.Stop(seeder);
            }

            var inside = !seeder.HasExited && await KillSignals.WriterInsideTransactionAsync(seeder, database, AppName);
            await KillSignals.KillAsync(seeder);
            await WaitUntilPostgresBackendGoneAsync(database);

            var after = await ShopOrdersAsync(database);
            var written = after.Count - before.Count;
            Assert.True(written is 0 or 1000, $"delay {delay} ms: {written} orders of a 1,000-order batch survived the kill\n{AppProcess.Read(output)}");
            if (inside)
            {
                Assert.True(written == 0, $"delay {delay} ms: killed inside its transaction, yet {written} orders were committed");
                killedInside++;
            }

            await AssertConsistentAsync(database, after);
            TestContext.Current.TestOutputHelper?.WriteLine($"delay {delay} ms: {(inside ? "killed inside the transaction" : "finished before the freeze")}, {written} orders committed");
        }

        Assert.True(killedInside > 0, "no attempt froze the command inside its transaction; nothing was proven");

        // After the crashes the next seed works and numbers on from the merchant's counter.
        var (exit, text) = await PortalApp.RunCommandAsync(database, "seed-orders", "--merchant", Shop, "--count", "5");
        Assert.True(exit == 0, text);
        var final = await ShopOrdersAsync(database);
        Assert.Equal(Enumerable.Range(1, final.Count), final.Order());
        await AssertConsistentAsync(database, final);
    }

    [Fact]
    public async Task ASpreadSeedKilledMidwayLeavesAnActivityEntryNamingExactlyTheOrdersWritten()
    {
        await using var database = await PreparedDatabaseAsync();
        var output = new StringBuilder();
        using var seeder = StartCommand(database, output, "seed-orders", "--merchant", Shop, "--count", "40", "--spread", "8s");
        // Progress lines come after each commit; kill somewhere after the fifth, while it trickles.
        await Eventually.HoldsAsync(() => seeder.HasExited || AppProcess.Read(output).Contains("  5/40", StringComparison.Ordinal),
            "the spread seed reported no progress", TimeSpan.FromSeconds(60));
        Assert.False(seeder.HasExited, AppProcess.Read(output));
        await Task.Delay(Random.Shared.Next(0, 400), Ct);
        await KillSignals.KillAsync(seeder);
        await WaitUntilPostgresBackendGoneAsync(database);

        var orders = await ShopOrdersAsync(database);
        Assert.InRange(orders.Count, 5, 39);
        await using var db = database.CreateOutsideContext();
        var entries = await db.Activity.Where(e => e.Action == "Seeded orders" && e.Details.StartsWith(Shop)).ToListAsync(Ct);
        var entry = Assert.Single(entries);
        var range = RangeInDetails().Match(entry.Details);
        Assert.True(range.Success, entry.Details);
        var (first, last) = (int.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(first, last - first + 1), orders.Order());
        Assert.Contains($"{orders.Count} of 40 orders so far", entry.Details, StringComparison.Ordinal);
        await AssertConsistentAsync(database, orders);
    }

    /// <summary>A migrated database with the shop, made by a first command run, so later runs write nothing at start-up.</summary>
    private async Task<TestDatabase> PreparedDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync(provider);
        var (exit, text) = await PortalApp.RunCommandAsync(database, "create-merchant", "--name", Shop);
        Assert.True(exit == 0, text);
        return database;
    }

    private static Process StartCommand(TestDatabase database, StringBuilder output, params string[] args)
    {
        var connectionString = database.Provider == DatabaseProvider.PostgreSql
            ? database.ConnectionString + $";Application Name={AppName}"
            : database.ConnectionString;
        return AppProcess.Start(connectionString, args, output, database.AppEnvironment());
    }

    /// <summary>PostgreSQL rolls a killed client's transaction back when its backend notices the closed socket.</summary>
    private static async Task WaitUntilPostgresBackendGoneAsync(TestDatabase database)
    {
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            await Eventually.HoldsAsync(async () => await KillSignals.PostgresWritersAsync(database, AppName, requireXid: false) == 0,
                "the killed command's backend stayed", TimeSpan.FromSeconds(30));
        }
    }

    private static async Task<List<int>> ShopOrdersAsync(TestDatabase database)
    {
        await using var db = database.CreateOutsideContext();
        return await db.Orders.Where(o => o.Merchant!.Name == Shop).Select(o => o.Number).ToListAsync(Ct);
    }

    /// <summary>Numbers unique, the counter at the highest, one change-feed row per order, one activity entry per committed batch.</summary>
    private static async Task AssertConsistentAsync(TestDatabase database, List<int> numbers)
    {
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        await using var db = database.CreateOutsideContext();
        var merchant = await db.Merchants.SingleAsync(m => m.Name == Shop, Ct);
        Assert.Equal(numbers.DefaultIfEmpty(0).Max(), merchant.LastOrderNumber);
        var changes = await db.OrderChanges.CountAsync(c => c.MerchantId == merchant.Id && c.Kind == OrderChangeKind.Created, Ct);
        Assert.Equal(numbers.Count, changes);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            Assert.Equal("ok", await db.Database.SqlQueryRaw<string>("SELECT integrity_check AS Value FROM pragma_integrity_check()").SingleAsync(Ct));
        }
    }

    [GeneratedRegex(@"#(\d+)–#(\d+)")]
    private static partial Regex RangeInDetails();
}
