using AngleSharp.Dom;
using Bunit;
using MerchantPortal.Components.Pages.Orders;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using static MerchantPortal.Tests.Components.OrderPages;

namespace MerchantPortal.Tests.Components;

/// <summary>
/// The orders page (MudDataGrid with ServerData) on bUnit with the app's real services, the
/// real poller and notifier, and one real SQLite file for the class.
/// </summary>
public sealed class OrdersGridComponentTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task TheGridShowsOnlyTheSignedInMerchantsOrdersNewestFirst()
    {
        await using var ctx = await OpenAsync(_database, "merchant1@demo.local", poll: false);
        var expected = await OwnIdsNewestFirstAsync("Demo Shop 1");

        var page = ctx.Render<OrdersPage>();

        page.WaitForAssertion(() => Assert.Equal(expected.Take(20), RowIds(page)), Deadline);
        Assert.Equal($"1-20 of {expected.Count}", PagerCaption(page));
    }

    [Theory]
    [InlineData("MerchantId")]
    [InlineData("Id")]
    [InlineData("CustomerName desc; DROP TABLE Orders")]
    public async Task AForgedSortColumnIsIgnoredAndShowsOnlyTheMerchantsOrders(string column)
    {
        await using var ctx = await OpenAsync(_database, "merchant2@demo.local", poll: false);
        var expected = await OwnIdsNewestFirstAsync("Demo Shop 2");
        var page = ctx.Render<OrdersPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(RowIds(page)), Deadline);

        // What a tampered circuit could send: a sort by any name the grid accepts.
        await page.InvokeAsync(() => Grid(page).SetSortAsync(column, SortDirection.Ascending, o => o.MerchantId, null!));

        page.WaitForAssertion(() => Assert.Equal(expected.Take(20), RowIds(page)), Deadline);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("New' OR 1=1 --")]
    [InlineData("MerchantId")]
    public async Task AForgedStatusFilterValueShowsAllOfTheMerchantsOrdersAndNoOthers(string value)
    {
        await using var ctx = await OpenAsync(_database, "merchant2@demo.local", poll: false);
        var expected = await OwnIdsNewestFirstAsync("Demo Shop 2");
        var page = ctx.Render<OrdersPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(RowIds(page)), Deadline);
        page.Find("[data-testid=status-filter]").Change("Accepted");
        page.WaitForAssertion(() => Assert.All(Statuses(page), s => Assert.Equal("Accepted", s)), Deadline);

        page.Find("[data-testid=status-filter]").Change(value);

        page.WaitForAssertion(() => Assert.Equal(expected.Take(20), RowIds(page)), Deadline);
        Assert.Equal($"1-20 of {expected.Count}", PagerCaption(page));
    }

    [Fact]
    public async Task ALiveReloadKeepsPageSortAndFilterAndHighlightsTheRowsThatArrived()
    {
        // 25 New orders "Customer 01".."Customer 25" and Accepted ones that would sort first.
        var orders = Enumerable.Range(1, 25).Select(i => ($"Customer {i:00}", OrderStatus.New))
            .Concat(Enumerable.Range(1, 5).Select(i => ($"Accepted {i}", OrderStatus.Accepted)))
            .ToArray();
        var shop = await NewShopAsync(_database, orders);
        await using var ctx = await OpenAsync(_database, shop.Email);
        var page = ctx.Render<OrdersPage>();
        page.WaitForAssertion(() => Assert.Equal(20, RowIds(page).Count), Deadline);
        page.Find("[data-testid=status-filter]").Change("New");
        page.Find("#rows-per-page").Change("10");
        page.FindAll("th .sortable-column-header").Single(h => h.TextContent == "Customer").Click();
        page.WaitForAssertion(() => Assert.Equal(Names(1, 10), Customers(page)), Deadline);
        page.Find("button[aria-label='Next page']").Click();
        page.WaitForAssertion(() => Assert.Equal(Names(11, 20), Customers(page)), Deadline);
        Assert.Empty(page.FindAll("tr.order-row-arrived"));

        // Another writer adds a New order that sorts into this page and an Accepted one that
        // would head the list if the filter were lost.
        await AddOrdersAsync(_database, shop.MerchantId, DateTime.UtcNow, ("Customer 15a", OrderStatus.New), ("Aaron Aardvark", OrderStatus.Accepted));

        string[] expected = [.. Names(11, 15), "Customer 15a", .. Names(16, 19)];
        page.WaitForAssertion(() => Assert.Equal(expected, Customers(page)), Deadline);
        Assert.Equal("11-20 of 26", PagerCaption(page));
        var arrived = Assert.Single(page.FindAll("tr.order-row-arrived"));
        Assert.Contains("Customer 15a", arrived.TextContent);
    }

    [Theory]
    [InlineData("accept-order", OrderStatus.Accepted)]
    [InlineData("reject-order", OrderStatus.Rejected)]
    public async Task ADecisionIsWrittenAndReachesTheGridOnceThroughThePoller(string button, OrderStatus decision)
    {
        var shop = await NewShopAsync(_database, ("First Customer", OrderStatus.New), ("Second Customer", OrderStatus.New));
        var order = shop.Orders[0];
        await using var ctx = await OpenAsync(_database, shop.Email);
        var published = new List<OrderNotification>();
        using var subscription = ctx.Notifier.Subscribe(shop.MerchantId, n => { lock (published) { published.Add(n); } });
        var page = ctx.Render<OrdersPage>();
        page.WaitForAssertion(() => Assert.Equal(2, RowIds(page).Count), Deadline);

        await Row(page, order.Id).QuerySelector($"[data-testid={button}]")!.ClickAsync(new MouseEventArgs());

        Assert.Equal(decision, (await ReadAsync(_database, order.Id)).Status);
        // The grid only reloads on a notification, so this is the poller's publish arriving.
        page.WaitForAssertion(() => Assert.Equal(decision.ToString(), Row(page, order.Id).QuerySelector(".order-status-chip")!.TextContent.Trim()), Deadline);
        Assert.Null(Row(page, order.Id).QuerySelector("[data-testid=accept-order]"));
        Assert.NotNull(Row(page, shop.Orders[1].Id).QuerySelector("[data-testid=accept-order]"));
        lock (published)
        {
            // Published once (by the poller), not also by the click.
            Assert.Single(published.SelectMany(n => n.Changes), c => c.OrderId == order.Id);
            Assert.Equal(1, published[^1].NewOrderCount);
        }

        Assert.Equal(1, ctx.Live.NewOrderCount);
    }

    [Fact]
    public async Task AnOrderDecidedElsewhereShowsASnackbarAndItsCurrentStatus()
    {
        var shop = await NewShopAsync(_database, ("Only Customer", OrderStatus.New));
        var order = shop.Orders[0];
        // No poller: this tab has not heard of the other tab's decision yet.
        await using var ctx = await OpenAsync(_database, shop.Email, poll: false);
        var snackbars = ctx.Render<MudSnackbarProvider>();
        var page = ctx.Render<OrdersPage>();
        page.WaitForAssertion(() => Assert.Single(RowIds(page)), Deadline);
        await using (var db = _database.CreateDbContext())
        {
            Assert.True(await db.DecideAsync(shop.MerchantId, order.Id, OrderStatus.Rejected, DateTime.UtcNow, ct: Xunit.TestContext.Current.CancellationToken));
        }

        await Row(page, order.Id).QuerySelector("[data-testid=accept-order]")!.ClickAsync(new MouseEventArgs());

        snackbars.WaitForAssertion(() => Assert.Contains($"Order {order.DisplayNumber} was already decided elsewhere.", snackbars.Markup), Deadline);
        page.WaitForAssertion(() => Assert.Equal("Rejected", Row(page, order.Id).QuerySelector(".order-status-chip")!.TextContent.Trim()), Deadline);
        Assert.Equal(OrderStatus.Rejected, (await ReadAsync(_database, order.Id)).Status);
    }

    [Fact]
    public async Task EachRowLinksToItsOrderAndShowsTimesInTheBrowsersZone()
    {
        var shop = await NewShopAsync(_database, ("Zoned Customer", OrderStatus.New));
        var order = shop.Orders[0];
        await using var ctx = await OpenAsync(_database, shop.Email, poll: false);

        var page = ctx.Render<OrdersPage>();

        page.WaitForAssertion(() => Assert.Contains($"Created ({Zone})", page.Find("thead").TextContent), Deadline);
        var row = Row(page, order.Id);
        var link = row.QuerySelector("[data-testid=order-row] a")!;
        Assert.Equal($"orders/{order.Id}", link.GetAttribute("href"));
        Assert.Equal(order.DisplayNumber, link.TextContent);
        var berlin = TimeZoneInfo.ConvertTimeFromUtc(order.CreatedAt, TimeZoneInfo.FindSystemTimeZoneById(Zone));
        Assert.Equal(berlin.ToString("g", System.Globalization.CultureInfo.InvariantCulture), row.QuerySelectorAll("td")[4].TextContent.Trim());
    }

    private async Task<List<long>> OwnIdsNewestFirstAsync(string shop)
    {
        await using var db = _database.CreateDbContext();
        var merchantId = await TestOrders.MerchantIdAsync(db, shop);
        return await db.Orders.Where(o => o.MerchantId == merchantId)
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .Select(o => o.Id).ToListAsync(Xunit.TestContext.Current.CancellationToken);
    }

    private static MudDataGrid<Order> Grid(IRenderedComponent<OrdersPage> page) =>
        page.FindComponent<MudDataGrid<Order>>().Instance;

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<OrdersPage> page) => page.FindAll("tr.order-row");

    private static IElement Row(IRenderedComponent<OrdersPage> page, long orderId) =>
        Rows(page).Single(r => r.QuerySelector($"a[href='orders/{orderId}']") is not null);

    private static List<long> RowIds(IRenderedComponent<OrdersPage> page) =>
        [.. Rows(page).Select(r => long.Parse(r.QuerySelector("[data-testid=order-row] a")!.GetAttribute("href")!["orders/".Length..], System.Globalization.CultureInfo.InvariantCulture))];

    private static List<string> Customers(IRenderedComponent<OrdersPage> page) =>
        [.. Rows(page).Select(r => r.QuerySelectorAll("td")[1].TextContent.Trim())];

    private static List<string> Statuses(IRenderedComponent<OrdersPage> page) =>
        [.. Rows(page).Select(r => r.QuerySelector(".order-status-chip")!.TextContent.Trim())];

    private static string PagerCaption(IRenderedComponent<OrdersPage> page) =>
        page.Find(".mud-table-pagination-caption").TextContent.Trim();

    private static List<string> Names(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Select(i => $"Customer {i:00}")];
}
