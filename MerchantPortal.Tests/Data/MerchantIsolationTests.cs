using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace MerchantPortal.Tests.Data;

/// <summary>One merchant's orders kept from another's, over every provider with an engine here.</summary>
public sealed class MerchantIsolationOnSqlite() : MerchantIsolationTests(DatabaseProvider.Sqlite);

public sealed class MerchantIsolationOnPostgreSql() : MerchantIsolationTests(DatabaseProvider.PostgreSql);

public abstract class MerchantIsolationTests(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private int _shop1;
    private int _shop2;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
        await using var db = _database.CreateDbContext();
        _shop1 = await db.Merchants.Where(m => m.Name == "Demo Shop 1").Select(m => m.Id).SingleAsync();
        _shop2 = await db.Merchants.Where(m => m.Name == "Demo Shop 2").Select(m => m.Id).SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task OrdersQueryReturnsOnlyTheSignedInMerchantsOrders()
    {
        await using var db = _database.CreateDbContext();

        var own = await db.OfMerchant(_shop1).ToListAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(own);
        Assert.All(own, o => Assert.Equal(_shop1, o.MerchantId));
        Assert.Equal(await db.Orders.CountAsync(o => o.MerchantId == _shop1, TestContext.Current.CancellationToken), own.Count);
    }

    [Theory]
    [InlineData(nameof(Order.Number), false)]
    [InlineData(nameof(Order.CustomerName), true)]
    [InlineData(nameof(Order.Total), false)]
    [InlineData(nameof(Order.Status), true)]
    [InlineData(nameof(Order.CreatedAt), false)]
    [InlineData("MerchantId", false)]
    public async Task EveryGridSortStaysWithinTheMerchant(string property, bool descending)
    {
        await using var db = _database.CreateDbContext();

        var sorted = await OrderSorting.Apply(db.OfMerchant(_shop2), [Sort(property, descending)])
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(24, sorted.Count);
        Assert.All(sorted, o => Assert.Equal(_shop2, o.MerchantId));
    }

    [Fact]
    public async Task TotalsSortNumericallyAsMoneyNotAsText()
    {
        await using var db = _database.CreateDbContext();

        var totals = await OrderSorting.Apply(db.OfMerchant(_shop1), [Sort(nameof(Order.Total), descending: false)])
            .Select(o => o.Total).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(totals.Order(), totals);
    }

    [Fact]
    public async Task AnotherMerchantsOrderCannotBeReadOrDecided()
    {
        await using var db = _database.CreateDbContext();
        var foreign = await db.Orders.AsNoTracking().FirstAsync(o => o.MerchantId == _shop2 && o.Status == OrderStatus.New, TestContext.Current.CancellationToken);

        Assert.Null(await db.FindForMerchantAsync(_shop1, foreign.Id, TestContext.Current.CancellationToken));
        Assert.False(await db.DecideAsync(_shop1, foreign.Id, OrderStatus.Accepted, DateTime.UtcNow, ct: TestContext.Current.CancellationToken));

        var unchanged = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == foreign.Id, TestContext.Current.CancellationToken);
        Assert.Equal(OrderStatus.New, unchanged.Status);
        Assert.Equal(foreign.StatusChangedAt, unchanged.StatusChangedAt);
    }

    [Fact]
    public async Task DecidingAnOwnNewOrderChangesItOnce()
    {
        await using var db = _database.CreateDbContext();
        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.MerchantId == _shop1 && o.Status == OrderStatus.New, TestContext.Current.CancellationToken);
        var before = await db.CountNewAsync(_shop1, TestContext.Current.CancellationToken);

        Assert.True(await db.DecideAsync(_shop1, order.Id, OrderStatus.Accepted, DateTime.UtcNow, ct: TestContext.Current.CancellationToken));
        Assert.False(await db.DecideAsync(_shop1, order.Id, OrderStatus.Rejected, DateTime.UtcNow, ct: TestContext.Current.CancellationToken));

        Assert.Equal(before - 1, await db.CountNewAsync(_shop1, TestContext.Current.CancellationToken));
        Assert.Equal(OrderStatus.Accepted, (await db.FindForMerchantAsync(_shop1, order.Id, TestContext.Current.CancellationToken))!.Status);
    }

    private static SortDefinition<Order> Sort(string column, bool descending) => new(column, descending, 0, o => o);
}
