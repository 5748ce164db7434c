using MerchantPortal.Data;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Alerts;

/// <summary>The first-shown stamp: once per order, one statement for all the tabs of a node, on each provider.</summary>
public sealed class TimelineFirstShownTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task FiveTabsShowingTheSameOrdersIssueOneUpdateAndTheFirstTimeNeverMoves(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        var poller = database.Services.GetRequiredService<OrderChangePoller>();
        await poller.PollOnceAsync(Ct);
        var firstShown = database.Services.GetRequiredService<OrderFirstShown>();
        await using var db = database.CreateDbContext();
        var shop = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
        // Five tabs of the merchant on this node: each shows the toasts of every notification.
        var marks = new List<Task>();
        var subscriptions = Enumerable.Range(0, 5)
            .Select(_ => database.Services.GetRequiredService<OrderNotifier>().Subscribe(shop, n => { lock (marks) { marks.Add(firstShown.MarkAsync(n)); } }))
            .ToList();
        var orders = await TestOrders.InsertAsync(db, "Demo Shop 1", 3);
        var writesBefore = firstShown.Writes;

        await poller.PollOnceAsync(Ct);
        await Eventually.HoldsAsync(() => { lock (marks) { return marks.Count == 5; } }, "every tab got the notification");
        Task[] all;
        lock (marks)
        {
            all = [.. marks];
        }

        await Task.WhenAll(all);

        Assert.Equal(1, firstShown.Writes - writesBefore);
        var ids = orders.Select(o => o.Id).ToList();
        var stamped = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => o.FirstShownAt).ToListAsync(Ct);
        Assert.All(stamped, s => Assert.NotNull(s));
        Assert.Single(stamped.Distinct());

        // Another node (its own in-process set) shows them later: the conditional UPDATE keeps the first time.
        var otherNode = new OrderFirstShown(
            database.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), new ShiftedClock(TimeSpan.FromMinutes(5)),
            database.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<OrderFirstShown>>());
        await otherNode.MarkAsync(shop, ids);
        Assert.Equal(1, otherNode.Writes);
        Assert.Equal(stamped, await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => o.FirstShownAt).ToListAsync(Ct));

        // Another merchant's id never stamps an order of this one.
        var foreign = (await TestOrders.InsertAsync(db, "Demo Shop 2", 1))[0];
        await firstShown.MarkAsync(shop, [foreign.Id]);
        Assert.Null((await db.Orders.AsNoTracking().SingleAsync(o => o.Id == foreign.Id, Ct)).FirstShownAt);
        subscriptions.ForEach(s => s.Dispose());
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
