using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Alerts;

/// <summary>The acknowledge write path and the alarm it drives, on a real database of each provider.</summary>
public sealed class AcknowledgementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AcknowledgingGoesThroughTheChangeFeedAndSilencesTheMerchantsAlarm(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        var poller = database.Services.GetRequiredService<OrderChangePoller>();
        await poller.PollOnceAsync(Ct);
        var inbox = new NotificationInbox();
        await using var db = database.CreateDbContext();
        var shop = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
        using var subscription = database.Services.GetRequiredService<OrderNotifier>().Subscribe(shop, inbox.Add);
        var before = await db.AlarmAsync(shop, Ct);
        var orders = await TestOrders.InsertAsync(db, "Demo Shop 1", 2);
        await poller.PollOnceAsync(Ct);
        var ringing = await inbox.NextAsync();
        Assert.Equal(before.Unacknowledged + 2, ringing.Alarm.Unacknowledged);
        Assert.NotNull(ringing.Alarm.Since);

        var done = await db.AcknowledgeAsync(shop, orders[0].Id, "merchant1@demo.local", DateTime.UtcNow, Ct);
        Assert.Equal([orders[0].Id], done);
        Assert.Empty(await db.AcknowledgeAsync(shop, orders[0].Id, "someone@else.test", DateTime.UtcNow, Ct));
        await poller.PollOnceAsync(Ct);

        var quieter = await inbox.NextAsync();
        Assert.Equal(OrderChangeKind.Acknowledged, Assert.Single(quieter.Changes).Kind);
        Assert.Equal(ringing.Alarm.Unacknowledged - 1, quieter.Alarm.Unacknowledged);
        Assert.Equal(ringing.NewOrderCount, quieter.NewOrderCount); // still New: acknowledging is not accepting
        var stored = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orders[0].Id, Ct);
        Assert.Equal("merchant1@demo.local", stored.AcknowledgedBy);

        var all = await db.AcknowledgeAsync(shop, null, "merchant1@demo.local", DateTime.UtcNow, Ct);
        Assert.Equal(quieter.Alarm.Unacknowledged, all.Count);
        await poller.PollOnceAsync(Ct);
        Assert.Equal(OrderAlarm.Off, (await inbox.NextAsync()).Alarm);
        Assert.Equal(OrderAlarm.Off, await db.AlarmAsync(shop, Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OfTwoPeopleAcknowledgingOneOrderAtOnceExactlyOneWins(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        await using var setup = database.CreateDbContext();
        var shop = await TestOrders.MerchantIdAsync(setup, "Demo Shop 1");
        var order = (await TestOrders.InsertAsync(setup, "Demo Shop 1")).Single();

        async Task<int> AcknowledgeAsync(string who)
        {
            await using var db = database.CreateDbContext();
            return (await db.AcknowledgeAsync(shop, order.Id, who, DateTime.UtcNow, Ct)).Count;
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => AcknowledgeAsync($"user{i}@demo.local")));

        Assert.Equal(1, results.Sum());
        var winner = $"user{Array.IndexOf(results, 1)}@demo.local";
        await using var check = database.CreateDbContext();
        Assert.Equal(winner, await check.Orders.Where(o => o.Id == order.Id).Select(o => o.AcknowledgedBy).SingleAsync(Ct));
        Assert.Equal(1, await check.OrderChanges.CountAsync(c => c.OrderId == order.Id && c.Kind == OrderChangeKind.Acknowledged, Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AcceptingAnswersTheAlertAndRecordsWhoWhileAnotherMerchantsOrderIsNeverTouched(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        await using var db = database.CreateDbContext();
        var shop1 = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
        var mine = (await TestOrders.InsertAsync(db, "Demo Shop 1")).Single();
        var theirs = (await TestOrders.InsertAsync(db, "Demo Shop 2")).Single();

        Assert.Empty(await db.AcknowledgeAsync(shop1, theirs.Id, "merchant1@demo.local", DateTime.UtcNow, Ct));
        Assert.True(await db.DecideAsync(shop1, mine.Id, OrderStatus.Accepted, DateTime.UtcNow, "merchant1@demo.local", Ct));

        var accepted = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == mine.Id, Ct);
        Assert.Equal(("merchant1@demo.local", "merchant1@demo.local"), (accepted.DecidedBy, accepted.AcknowledgedBy));
        Assert.NotNull(accepted.AcknowledgedAt);
        var untouched = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == theirs.Id, Ct);
        Assert.Null(untouched.AcknowledgedAt);
        Assert.Equal(0, await db.OrderChanges.CountAsync(c => c.OrderId == theirs.Id && c.Kind == OrderChangeKind.Acknowledged, Ct));
    }
}
