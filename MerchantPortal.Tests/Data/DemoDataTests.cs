using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Data.Users;
using MerchantPortal.Setup;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Data;

/// <summary>The Development demo data, over every provider with an engine here.</summary>
public sealed class DemoDataTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DemoSeedingTwiceCreatesEachAccountShopAndOrderOnce(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();

        await SeedAsync(database);
        var first = await SnapshotAsync(database);
        await SeedAsync(database);
        var second = await SnapshotAsync(database);

        Assert.Equal(first, second);
        Assert.Equal(3, first.Users);
        Assert.Equal(2, first.Merchants);
        Assert.Equal(48, first.Orders);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DemoAccountsHaveTheirRolesAndShops(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await SeedAsync(database);

        await using var scope = database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var admin = await users.FindByEmailAsync("admin@demo.local");
        Assert.NotNull(admin);
        Assert.True(await users.IsInRoleAsync(admin, PortalRoles.Admin));
        Assert.Null(admin.MerchantId);
        Assert.True(await users.CheckPasswordAsync(admin, DemoData.Password));

        await using var db = database.CreateDbContext();
        foreach (var (shop, email) in DemoData.Merchants)
        {
            var user = await users.FindByEmailAsync(email);
            Assert.NotNull(user);
            Assert.True(await users.IsInRoleAsync(user, PortalRoles.Merchant));
            var merchant = await db.Merchants.SingleAsync(m => m.Id == user.MerchantId, TestContext.Current.CancellationToken);
            Assert.Equal(shop, merchant.Name);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DemoOrdersMixStatusesAndNumberEachShopFromOne(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await SeedAsync(database);

        await using var db = database.CreateDbContext();
        var orders = await db.Orders.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        Assert.All(Enum.GetValues<OrderStatus>(), status => Assert.Contains(orders, o => o.Status == status));
        foreach (var shop in orders.GroupBy(o => o.MerchantId))
        {
            Assert.Equal(Enumerable.Range(1, shop.Count()), shop.Select(o => o.Number).Order());
            Assert.All(shop, o => Assert.True(o.Total > 0 && o.CustomerName.Length > 0));
        }

        var merchants = await db.Merchants.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        Assert.All(merchants, m => Assert.Equal(orders.Count(o => o.MerchantId == m.Id), m.LastOrderNumber));
    }

    /// <summary>Roles and the demo accounts, shops and orders, as Development start-up writes them (used by many test classes).</summary>
    internal static async Task SeedAsync(TestDatabase database)
    {
        await using var scope = database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountSetup>().EnsureRolesAsync();
        await scope.ServiceProvider.GetRequiredService<DemoData>().EnsureCreatedAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<(int Users, int Merchants, int Orders, int Roles)> SnapshotAsync(TestDatabase database)
    {
        await using var db = database.CreateDbContext();
        var ct = TestContext.Current.CancellationToken;
        return (await db.Users.CountAsync(ct), await db.Merchants.CountAsync(ct), await db.Orders.CountAsync(ct), await db.Roles.CountAsync(ct));
    }
}
