using System.Globalization;
using Bunit;
using MerchantPortal.Components.Shared;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TestContext = Xunit.TestContext;

namespace MerchantPortal.Tests.Components;

/// <summary>
/// The app bar's badge in bUnit with the app's real services on a real SQLite file, signed in
/// through the app's own authentication state provider; counts arrive through the real notifier.
/// </summary>
public sealed class BadgeComponentTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private int _shop1;
    private int _shop2;
    private int _shop1NewOrders;

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
        await using var db = _database.CreateDbContext();
        _shop1 = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
        _shop2 = await TestOrders.MerchantIdAsync(db, "Demo Shop 2");
        _shop1NewOrders = await db.CountNewAsync(_shop1, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task BadgeShowsTheMerchantsNewOrderCountFromTheDatabase()
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");

        var badge = ctx.Render<NewOrderBadge>();

        badge.WaitForAssertion(() => Assert.Equal(Text(_shop1NewOrders), BadgeText(badge)));
        Assert.Contains($"{_shop1NewOrders} new orders", badge.Find("a").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadgeShowsZeroRatherThanDisappearing()
    {
        await using (var db = _database.CreateDbContext())
        {
            foreach (var order in db.Orders.Where(o => o.MerchantId == _shop2 && o.Status == OrderStatus.New).ToList())
            {
                await db.DecideAsync(_shop2, order.Id, OrderStatus.Accepted, DateTime.UtcNow, ct: TestContext.Current.CancellationToken);
            }
        }

        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant2@demo.local");
        var badge = ctx.Render<NewOrderBadge>();

        badge.WaitForAssertion(() => Assert.Equal("0", BadgeText(badge)));
    }

    [Fact]
    public async Task BadgeShowsCountPublishedForItsMerchantOnly()
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        var badge = ctx.Render<NewOrderBadge>();
        badge.WaitForAssertion(() => Assert.Equal(Text(_shop1NewOrders), BadgeText(badge)));

        ctx.Notifier.Publish(new OrderNotification(_shop2, 1, 40, []));
        ctx.Notifier.Publish(new OrderNotification(_shop1, 2, 41, []));

        badge.WaitForAssertion(() => Assert.Equal("41", BadgeText(badge)));
        ctx.Notifier.Publish(new OrderNotification(_shop2, 3, 50, []));
        // Shop 2's later publish must not leak in; shop 1's next one still arrives.
        ctx.Notifier.Publish(new OrderNotification(_shop1, 4, 42, []));
        badge.WaitForAssertion(() => Assert.Equal("42", BadgeText(badge)));
    }

    [Fact]
    public async Task AnOlderCountArrivingLateDoesNotOverwriteANewerOne()
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        var badge = ctx.Render<NewOrderBadge>();
        badge.WaitForAssertion(() => Assert.Equal(Text(_shop1NewOrders), BadgeText(badge)));

        ctx.Notifier.Publish(new OrderNotification(_shop1, 10, 7, []));
        badge.WaitForAssertion(() => Assert.Equal("7", BadgeText(badge)));
        ctx.Notifier.Publish(new OrderNotification(_shop1, 9, 6, []));
        ctx.Notifier.Publish(new OrderNotification(_shop1, 11, 8, []));

        badge.WaitForAssertion(() => Assert.Equal("8", BadgeText(badge)));
        Assert.Equal(8, ctx.Live.NewOrderCount);
    }

    [Fact]
    public async Task RenderingAndDisposingManyTimesLeavesNoSubscriberBehind()
    {
        OrderNotifier notifier;
        await using (var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local"))
        {
            notifier = ctx.Notifier;
            for (var cycle = 0; cycle < 50; cycle++)
            {
                var badge = ctx.Render<NewOrderBadge>();
                badge.WaitForAssertion(() => Assert.Equal(1, ctx.Live.HandlerCount));
                // One notifier subscription per circuit, however often its components come and go.
                Assert.Equal(1, notifier.SubscriberCountFor(_shop1));
                await ctx.DisposeComponentsAsync();
                Assert.Equal(0, ctx.Live.HandlerCount);
            }
        }

        // The circuit (the context's scope) ended: its subscription went with it.
        Assert.Equal(0, notifier.SubscriberCount);
    }

    [Fact]
    public async Task AWriterHoldingTheDatabaseDoesNotHoldTheBadgeAndTheFirstShownStampFollows()
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        var badge = ctx.Render<NewOrderBadge>();
        badge.WaitForAssertion(() => Assert.Equal(Text(_shop1NewOrders), BadgeText(badge)));
        Order order;
        await using (var db = _database.CreateDbContext())
        {
            order = (await TestOrders.InsertAsync(db, "Demo Shop 1", 1))[0];
        }

        // Another writer (an order import, another node) holds SQLite's write lock.
        await using var writer = new SqliteConnection(_database.ConnectionString);
        await writer.OpenAsync(TestContext.Current.CancellationToken);
        await using (var begin = writer.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var created = new OrderChangeEvent(1, order.Id, _shop1, OrderChangeKind.Created, OrderStatus.New,
            order.Number, order.CustomerName, order.Total, order.Currency, order.CreatedAt);
        ctx.Notifier.Publish(new OrderNotification(_shop1, 100, _shop1NewOrders + 1, [created]));

        // The count and the toast are on screen while the stamp's UPDATE waits for the lock.
        badge.WaitForAssertion(() => Assert.Equal(Text(_shop1NewOrders + 1), BadgeText(badge)), TimeSpan.FromSeconds(5));
        Assert.Null(await FirstShownAtAsync(order.Id));

        await using (var commit = writer.CreateCommand())
        {
            commit.CommandText = "COMMIT;";
            await commit.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await Eventually.HoldsAsync(async () => await FirstShownAtAsync(order.Id) is not null, "the stamp is written once the lock is free");
    }

    private async Task<DateTime?> FirstShownAtAsync(long orderId)
    {
        await using var db = _database.CreateDbContext();
        return await db.Orders.Where(o => o.Id == orderId).Select(o => o.FirstShownAt).SingleAsync(TestContext.Current.CancellationToken);
    }

    private static string BadgeText(IRenderedComponent<NewOrderBadge> badge) =>
        badge.Find("[data-testid=new-order-badge]").TextContent.Trim();

    private static string Text(int count) => count.ToString(CultureInfo.InvariantCulture);
}
