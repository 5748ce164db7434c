using System.Globalization;
using Bunit;
using MerchantPortal.Components.Pages;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using TestContext = Xunit.TestContext;

namespace MerchantPortal.Tests.Components;

/// <summary>
/// The merchant dashboard's cards and recent list on a real SQLite file, in the browser's time
/// zone (the JS call BrowserTime makes is planned to answer a zone 14 hours from UTC).
/// </summary>
public sealed class DashboardCardsTests : IAsyncLifetime
{
    private const string Zone = "Pacific/Kiritimati";
    private readonly TestDatabase _database = new();
    private int _shop1;

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
        await using var db = _database.CreateDbContext();
        _shop1 = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task CardsShowNewOrdersAndTodaysOrdersInTheBrowsersZoneWithTheZoneNamed()
    {
        await using var ctx = await SignedInAsync();

        var dashboard = ctx.Render<MerchantDashboard>();

        var (newCount, todayCount) = await ExpectedCountsAsync();
        dashboard.WaitForAssertion(() =>
        {
            Assert.Equal(Text(newCount), dashboard.Find("[data-testid=dashboard-new-count]").TextContent.Trim());
            Assert.Equal(Text(todayCount), dashboard.Find("[data-testid=dashboard-today-count]").TextContent.Trim());
            Assert.Contains(Zone, dashboard.Find("[data-testid=dashboard-today-zone]").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RecentOrdersLinkToTheirOrderWithTimesInTheBrowsersZone()
    {
        await using var ctx = await SignedInAsync();

        var dashboard = ctx.Render<MerchantDashboard>();

        await using var db = _database.CreateDbContext();
        var newest = await db.Orders.Where(o => o.MerchantId == _shop1).OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(10).ToListAsync(TestContext.Current.CancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        dashboard.WaitForAssertion(() =>
        {
            var rows = dashboard.FindAll("[data-testid=recent-order]");
            Assert.Equal(newest.Select(o => $"orders/{o.Id}"), rows.Select(r => r.GetAttribute("href")));
            Assert.Contains(TimeZoneInfo.ConvertTimeFromUtc(newest[0].CreatedAt, zone).ToString("g", CultureInfo.InvariantCulture), rows[0].TextContent, StringComparison.Ordinal);
            Assert.Contains(newest[0].Status.ToString(), rows[0].QuerySelector(".mud-chip")!.TextContent, StringComparison.Ordinal);
            Assert.Contains($"Times in {Zone}", dashboard.Find("[data-testid=recent-orders]").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ANewOrderUpdatesTheCardsAndTheListWithoutAQuery()
    {
        await using var ctx = await SignedInAsync();
        var dashboard = ctx.Render<MerchantDashboard>();
        var (newCount, todayCount) = await ExpectedCountsAsync();
        dashboard.WaitForAssertion(() => Assert.Equal(Text(todayCount), dashboard.Find("[data-testid=dashboard-today-count]").TextContent.Trim()));
        Assert.Equal(1, ctx.Live.HandlerCount);

        var created = new OrderChangeEvent(900, 98765, _shop1, OrderChangeKind.Created, OrderStatus.New, 4711, "Hedy Lamarr", 42m, "EUR", DateTime.UtcNow);
        ctx.Notifier.Publish(new OrderNotification(_shop1, 100, newCount + 1, [created]));

        dashboard.WaitForAssertion(() =>
        {
            Assert.Equal(Text(newCount + 1), dashboard.Find("[data-testid=dashboard-new-count]").TextContent.Trim());
            Assert.Equal(Text(todayCount + 1), dashboard.Find("[data-testid=dashboard-today-count]").TextContent.Trim());
            var first = dashboard.FindAll("[data-testid=recent-order]")[0];
            Assert.Equal("orders/98765", first.GetAttribute("href"));
            Assert.Contains("Hedy Lamarr", first.TextContent, StringComparison.Ordinal);
        });
        Assert.Equal(10, dashboard.FindAll("[data-testid=recent-order]").Count);
    }

    [Fact]
    public async Task AStatusChangeRedrawsItsRowAndKeepsTheOthers()
    {
        await using var ctx = await SignedInAsync();
        var dashboard = ctx.Render<MerchantDashboard>();
        dashboard.WaitForAssertion(() => Assert.Equal(1, ctx.Live.HandlerCount));
        var created = new OrderChangeEvent(902, 98767, _shop1, OrderChangeKind.Created, OrderStatus.New, 4713, "Grace Hopper", 5m, "EUR", DateTime.UtcNow);
        ctx.Notifier.Publish(new OrderNotification(_shop1, 100, 9, [created]));
        dashboard.WaitForAssertion(() => Assert.Equal("orders/98767", dashboard.FindAll("[data-testid=recent-order]")[0].GetAttribute("href")));
        var othersBefore = dashboard.FindAll("[data-testid=recent-order]").Skip(1).Select(r => r.OuterHtml).ToList();

        ctx.Notifier.Publish(new OrderNotification(_shop1, 101, 8, [created with { ChangeId = 903, Kind = OrderChangeKind.StatusChanged, Status = OrderStatus.Accepted }]));

        dashboard.WaitForAssertion(() => Assert.Contains("Accepted", dashboard.FindAll("[data-testid=recent-order]")[0].TextContent, StringComparison.Ordinal));
        Assert.Equal(othersBefore, dashboard.FindAll("[data-testid=recent-order]").Skip(1).Select(r => r.OuterHtml).ToList());
    }

    [Fact]
    public async Task ACustomerNameIsShownAsTextNeverAsMarkup()
    {
        await using var ctx = await SignedInAsync();
        var dashboard = ctx.Render<MerchantDashboard>();
        dashboard.WaitForAssertion(() => Assert.Equal(1, ctx.Live.HandlerCount));
        const string hostile = "<img src=x onerror=alert(1)> & \"Co\"";

        ctx.Notifier.Publish(new OrderNotification(_shop1, 100, 9,
            [new OrderChangeEvent(901, 98766, _shop1, OrderChangeKind.Created, OrderStatus.New, 4712, hostile, 1m, "EUR", DateTime.UtcNow)]));

        dashboard.WaitForAssertion(() =>
        {
            var first = dashboard.FindAll("[data-testid=recent-order]")[0];
            Assert.Equal(hostile, first.QuerySelector(".portal-recent-customer")!.TextContent);
            Assert.Empty(dashboard.FindAll("[data-testid=recent-orders] img"));
        });
    }

    private async Task<PortalComponentContext> SignedInAsync()
    {
        var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        ctx.JSInterop.Setup<string?>("merchantPortal.timeZone").SetResult(Zone);
        return ctx;
    }

    // The oracle: the merchant's New orders, and orders since midnight in the zone.
    private async Task<(int New, int Today)> ExpectedCountsAsync()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var localMidnight = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date;
        var since = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(localMidnight, DateTimeKind.Unspecified), zone);
        await using var db = _database.CreateDbContext();
        var orders = db.Orders.Where(o => o.MerchantId == _shop1);
        return (await orders.CountAsync(o => o.Status == OrderStatus.New, TestContext.Current.CancellationToken),
                await orders.CountAsync(o => o.CreatedAt >= since, TestContext.Current.CancellationToken));
    }

    private static string Text(int count) => count.ToString(CultureInfo.InvariantCulture);
}
