using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using TestContext = Xunit.TestContext;

namespace MerchantPortal.Tests.Components;

/// <summary>
/// The rules of the state a prerendered page hands to its circuit (MerchantLiveOrders.HandOver),
/// on PostgreSQL, where the live view's first read is real I/O: what the view holds between its
/// start and the read's return is what the circuit's first render shows.
/// </summary>
public sealed class LiveOrdersHandOverTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private int _shop1;
    private int _shop2;
    private int _shop1NewOrders;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
        await using var db = _database.CreateDbContext();
        _shop1 = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
        _shop2 = await TestOrders.MerchantIdAsync(db, "Demo Shop 2");
        _shop1NewOrders = await db.CountNewAsync(_shop1, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("fresh, same merchant", 0, true, true)]
    [InlineData("older than 30 s", 31, true, false)]
    [InlineData("another merchant's", 0, false, false)]
    public async Task AHandedOverStateIsShownUntilTheFirstReadOnlyWhenFreshAndOfTheSignedInMerchant(string which, int ageSeconds, bool sameMerchant, bool shown)
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        var live = ctx.Live;
        var handed = new LiveOrdersHandOver(sameMerchant ? _shop1 : _shop2, 42, new OrderAlarm(7, DateTime.UtcNow), DateTimeOffset.UtcNow.AddSeconds(-ageSeconds));
        Assert.Null(live.HandOver); // nothing to hand over before the view has read anything

        live.HandOver = handed;
        var start = live.StartAsync();

        Assert.False(start.IsCompleted, "the first read returned at once: nothing in between to check");
        Assert.Equal(shown ? (42, 7) : (0, 0), (live.NewOrderCount, live.Alarm.Unacknowledged));
        Assert.True(await start, which);
        Assert.Equal(_shop1NewOrders, live.NewOrderCount);
        var persisted = live.HandOver;
        Assert.NotNull(persisted);
        Assert.Equal((_shop1, _shop1NewOrders), (persisted.MerchantId, persisted.NewOrderCount));
    }
}
