using Bunit;
using MerchantPortal.Components.Pages.Orders;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Tests.Components.OrderPages;

namespace MerchantPortal.Tests.Components;

/// <summary>The order page on bUnit with the app's real services, poller and notifier on a real SQLite file.</summary>
public sealed class OrderDetailsComponentTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task AnotherMerchantsOrderIdShowsOrderNotFoundAndNothingOfTheOrder()
    {
        Order foreign;
        await using (var db = _database.CreateDbContext())
        {
            var shop2 = await TestOrders.MerchantIdAsync(db, "Demo Shop 2");
            foreign = await db.Orders.AsNoTracking().FirstAsync(o => o.MerchantId == shop2 && o.Status == OrderStatus.New, Xunit.TestContext.Current.CancellationToken);
        }

        await using var ctx = await OpenAsync(_database, "merchant1@demo.local", poll: false);

        var page = ctx.Render<OrderDetails>(p => p.Add(x => x.Id, foreign.Id));

        page.WaitForAssertion(() => Assert.Equal("Order not found.", page.Find("[data-testid=order-not-found]").TextContent.Trim()), Deadline);
        Assert.DoesNotContain(foreign.CustomerName, page.Markup);
        Assert.Empty(page.FindAll("[data-testid=order-details]"));
        Assert.Empty(page.FindAll("[data-testid=accept-order]"));
    }

    [Fact]
    public async Task AnIdThatDoesNotExistShowsOrderNotFound()
    {
        await using var ctx = await OpenAsync(_database, "merchant1@demo.local", poll: false);

        var page = ctx.Render<OrderDetails>(p => p.Add(x => x.Id, long.MaxValue));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=order-not-found]")), Deadline);
    }

    [Fact]
    public async Task TheOrderShowsItsFieldsTimesInTheBrowsersZoneAndABreadcrumbBackToOrders()
    {
        var shop = await NewShopAsync(_database, ("Detail Customer", OrderStatus.New));
        var order = shop.Orders[0];
        await using var ctx = await OpenAsync(_database, shop.Email, poll: false);

        var page = ctx.Render<OrderDetails>(p => p.Add(x => x.Id, order.Id));

        page.WaitForAssertion(() => Assert.Contains($"Created ({Zone})", page.Find("[data-testid=order-details]").TextContent), Deadline);
        Assert.Equal("Detail Customer", page.Find("[data-testid=order-customer]").TextContent);
        Assert.Equal(order.FormatTotal(), page.Find("[data-testid=order-total]").TextContent);
        var berlin = TimeZoneInfo.ConvertTimeFromUtc(order.CreatedAt, TimeZoneInfo.FindSystemTimeZoneById(Zone));
        Assert.Equal(berlin.ToString("f", System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=order-created]").TextContent);
        Assert.Equal("New", page.Find(".order-status-chip").TextContent.Trim());
        Assert.Equal("orders", page.Find("nav[aria-label=Breadcrumb] a").GetAttribute("href"));
    }

    [Theory]
    [InlineData("accept-order", OrderStatus.Accepted)]
    [InlineData("reject-order", OrderStatus.Rejected)]
    public async Task ADecisionIsWrittenAndPublishedOnceByThePoller(string button, OrderStatus decision)
    {
        var shop = await NewShopAsync(_database, ("Deciding Customer", OrderStatus.New));
        var order = shop.Orders[0];
        await using var ctx = await OpenAsync(_database, shop.Email);
        var published = new List<OrderNotification>();
        using var subscription = ctx.Notifier.Subscribe(shop.MerchantId, n => { lock (published) { published.Add(n); } });
        var page = ctx.Render<OrderDetails>(p => p.Add(x => x.Id, order.Id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find($"[data-testid={button}]")), Deadline);

        await page.Find($"[data-testid={button}]").ClickAsync(new MouseEventArgs());

        Assert.Equal(decision, (await ReadAsync(_database, order.Id)).Status);
        page.WaitForAssertion(() => Assert.Equal(decision.ToString(), page.Find(".order-status-chip").TextContent.Trim()), Deadline);
        Assert.Empty(page.FindAll("[data-testid=accept-order]"));
        await Until(() => ctx.Live.NewOrderCount == 0);
        lock (published)
        {
            Assert.Single(published.SelectMany(n => n.Changes), c => c.OrderId == order.Id);
        }
    }

    [Fact]
    public async Task ADecisionMadeElsewhereReachesThePageThroughThePoller()
    {
        var shop = await NewShopAsync(_database, ("Elsewhere Customer", OrderStatus.New));
        var order = shop.Orders[0];
        await using var ctx = await OpenAsync(_database, shop.Email);
        var page = ctx.Render<OrderDetails>(p => p.Add(x => x.Id, order.Id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=accept-order]")), Deadline);

        // Another tab, process or node: a plain write to the database.
        await using (var db = _database.CreateDbContext())
        {
            Assert.True(await db.DecideAsync(shop.MerchantId, order.Id, OrderStatus.Accepted, DateTime.UtcNow, ct: Xunit.TestContext.Current.CancellationToken));
        }

        page.WaitForAssertion(() => Assert.Equal("Accepted", page.Find(".order-status-chip").TextContent.Trim()), Deadline);
        Assert.Empty(page.FindAll("[data-testid=accept-order]"));
    }
}
