using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Npgsql;
using TestContext = Xunit.TestContext;

namespace MerchantPortal.Tests.Components;

/// <summary>
/// The rules of the state a prerendered page hands to its circuit (MerchantLiveOrders.HandOver):
/// what the view holds between its start and its first read's return is what the circuit's first
/// render shows. On PostgreSQL, with the orders table locked by another transaction, so that read
/// waits until the test has looked (on a loaded machine an unhindered read sometimes returned
/// before StartAsync did, and there was nothing in between to check).
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

        var ct = TestContext.Current.CancellationToken;
        await using var blocker = new NpgsqlConnection(_database.ConnectionString);
        await blocker.OpenAsync(ct);
        await using var transaction = await blocker.BeginTransactionAsync(ct);
        await using (var lockOrders = new NpgsqlCommand("LOCK TABLE \"Orders\" IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockOrders.ExecuteNonQueryAsync(ct);
        }

        live.HandOver = handed;
        var start = live.StartAsync();

        Assert.False(start.IsCompleted, "the first read returned while the orders were locked");
        Assert.Equal(shown ? (42, 7) : (0, 0), (live.NewOrderCount, live.Alarm.Unacknowledged));
        await transaction.RollbackAsync(ct);
        Assert.True(await start, which);
        Assert.Equal(_shop1NewOrders, live.NewOrderCount);
        var persisted = live.HandOver;
        Assert.NotNull(persisted);
        Assert.Equal((_shop1, _shop1NewOrders), (persisted.MerchantId, persisted.NewOrderCount));
    }
}
