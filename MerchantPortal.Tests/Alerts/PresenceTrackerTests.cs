using MerchantPortal.Alerts;
using MerchantPortal.Data;
using MerchantPortal.Data.Alerts;
using MerchantPortal.Nodes;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Alerts;

/// <summary>The per-node presence rows the tracker writes, on a real database of each provider.</summary>
public sealed class PresenceTrackerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheFirstTabInsertsTheRowTheLastCloseDeletesItAndTabsBetweenWriteNothing(DatabaseProvider provider)
    {
        await using var database = await StartedAsync(provider);
        var tracker = database.Services.GetRequiredService<MerchantPresenceTracker>();
        var shop = await ShopAsync(database, "Demo Shop 1");

        await tracker.TabOpenedAsync(shop);
        var first = Assert.Single(await RowsAsync(database, shop));
        await tracker.TabOpenedAsync(shop);
        await tracker.TabOpenedAsync(shop);
        await tracker.TabClosedAsync(shop);
        await tracker.TabClosedAsync(shop);

        // Still the row the first tab wrote: the tabs in between did not rewrite it.
        Assert.Equal(first.Since, Assert.Single(await RowsAsync(database, shop)).Since);
        Assert.Equal(1, tracker.TabsOf(shop));

        await tracker.TabClosedAsync(shop);

        Assert.Empty(await RowsAsync(database, shop));
        Assert.Equal(0, tracker.TabsOf(shop));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ConcurrentOpensAndClosesKeepTheCountAndTheRowRight(DatabaseProvider provider)
    {
        await using var database = await StartedAsync(provider);
        var tracker = database.Services.GetRequiredService<MerchantPresenceTracker>();
        var shop1 = await ShopAsync(database, "Demo Shop 1");
        var shop2 = await ShopAsync(database, "Demo Shop 2");

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => tracker.TabOpenedAsync(shop1), Ct)));
        Assert.Equal(30, tracker.TabsOf(shop1));
        Assert.Single(await RowsAsync(database, shop1));

        // 29 of shop 1's tabs close while shop 2's tabs open and close in pairs, all at once.
        var closes = Enumerable.Range(0, 29).Select(_ => Task.Run(() => tracker.TabClosedAsync(shop1), Ct));
        var pairs = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await tracker.TabOpenedAsync(shop2);
            await tracker.TabClosedAsync(shop2);
        }, Ct));
        await Task.WhenAll(closes.Concat(pairs));

        Assert.Equal((1, 0), (tracker.TabsOf(shop1), tracker.TabsOf(shop2)));
        Assert.Single(await RowsAsync(database, shop1));
        Assert.Empty(await RowsAsync(database, shop2));

        await tracker.TabClosedAsync(shop1);
        Assert.Empty(await RowsAsync(database, shop1));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ANodeDeletesItsOwnLeftoverRowsAtStartAndAllOfThemOnACleanStop(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        var node = database.Services.GetRequiredService<NodeIdentity>().Name;
        var shop1 = await ShopAsync(database, "Demo Shop 1");
        var shop2 = await ShopAsync(database, "Demo Shop 2");
        await using (var db = database.CreateDbContext())
        {
            // A crash's leftovers on this node, and another node's live row.
            db.MerchantPresence.AddRange(
                new MerchantPresence { MerchantId = shop1, NodeName = node, Since = DateTime.UtcNow.AddHours(-1) },
                new MerchantPresence { MerchantId = shop2, NodeName = "other-node:5000", Since = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        var tracker = database.Services.GetRequiredService<MerchantPresenceTracker>();
        await tracker.StartAsync(Ct);
        await tracker.TabOpenedAsync(shop2); // writes wait for the clean-up, so this row is the new one

        await using (var db = database.CreateDbContext())
        {
            var rows = await db.MerchantPresence.AsNoTracking().OrderBy(p => p.NodeName).ToListAsync(Ct);
            var expected = new[] { (shop2, node), (shop2, "other-node:5000") }.OrderBy(r => r.Item2, StringComparer.Ordinal);
            Assert.Equal(expected, rows.Select(r => (r.MerchantId, r.NodeName)).OrderBy(r => r.NodeName, StringComparer.Ordinal));
        }

        await tracker.StopAsync(Ct);

        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(["other-node:5000"], await db.MerchantPresence.Select(p => p.NodeName).ToListAsync(Ct));
        }
    }

    [Fact]
    public async Task AMerchantTabCountsWhileItsConnectionIsUpAndAnAdminTabNever()
    {
        await using var database = await StartedAsync(DatabaseProvider.Sqlite);
        var tracker = database.Services.GetRequiredService<MerchantPresenceTracker>();
        var shop = await ShopAsync(database, "Demo Shop 1");
        var merchantTab = await HandlerForAsync(database, "merchant1@demo.local");
        var adminTab = await HandlerForAsync(database, "admin@demo.local");

        await merchantTab.OnCircuitOpenedAsync(null!, Ct);
        await adminTab.OnCircuitOpenedAsync(null!, Ct);
        await merchantTab.OnConnectionUpAsync(null!, Ct);
        await adminTab.OnConnectionUpAsync(null!, Ct);
        await Eventually.HoldsAsync(async () => (await RowsAsync(database, shop)).Count == 1, "The merchant's open tab wrote no presence row.");
        Assert.Equal(1, tracker.TabsOf(shop));
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(1, await db.MerchantPresence.CountAsync(Ct)); // none for the admin
        }

        // Disconnected but retained by the server: nobody hears an alert there, so it does not count.
        await merchantTab.OnConnectionDownAsync(null!, Ct);
        await Eventually.HoldsAsync(async () => (await RowsAsync(database, shop)).Count == 0, "A disconnected tab still counts.");
        await merchantTab.OnConnectionUpAsync(null!, Ct);
        await Eventually.HoldsAsync(async () => (await RowsAsync(database, shop)).Count == 1, "A reconnected tab does not count again.");

        // Disposal reports the connection down and then the close: counted off once, not twice.
        await merchantTab.OnConnectionDownAsync(null!, Ct);
        await merchantTab.OnCircuitClosedAsync(null!, Ct);
        await Eventually.HoldsAsync(async () => (await RowsAsync(database, shop)).Count == 0, "A closed tab still counts.");
        Assert.Equal(0, tracker.TabsOf(shop));
    }

    private static async Task<TestDatabase> StartedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        await database.Services.GetRequiredService<MerchantPresenceTracker>().StartAsync(Ct);
        return database;
    }

    private static async Task<MerchantPresenceCircuitHandler> HandlerForAsync(TestDatabase database, string email)
    {
        var authentication = database.CircuitAuthentication();
        ((IHostEnvironmentAuthenticationStateProvider)authentication)
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(await database.PrincipalForAsync(email))));
        return new MerchantPresenceCircuitHandler(database.Services.GetRequiredService<MerchantPresenceTracker>(), authentication);
    }

    private static async Task<int> ShopAsync(TestDatabase database, string name)
    {
        await using var db = database.CreateDbContext();
        return await TestOrders.MerchantIdAsync(db, name);
    }

    private static async Task<List<MerchantPresence>> RowsAsync(TestDatabase database, int merchantId)
    {
        await using var db = database.CreateDbContext();
        return await db.MerchantPresence.AsNoTracking().Where(p => p.MerchantId == merchantId).ToListAsync(Ct);
    }
}
