using System.Globalization;
using Bunit;
using MerchantPortal.Components.Pages.Orders;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static MerchantPortal.Tests.Components.OrderPages;

namespace MerchantPortal.Tests.Alerts;

/// <summary>The order page's timeline on bUnit with the app's real services on a real SQLite file.</summary>
public sealed class TimelineComponentTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await MerchantPortal.Tests.Data.DemoDataTests.SeedAsync(_database);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task TheTimelineListsCreatedFirstShownAcknowledgedAndAcceptedWithWhoAndWhenInTheBrowsersZone()
    {
        var shop = await NewShopAsync(_database, ("Timeline Customer", OrderStatus.New));
        var order = shop.Orders[0];
        await _database.Services.GetRequiredService<OrderFirstShown>().MarkAsync(shop.MerchantId, [order.Id]);
        await using (var db = _database.CreateDbContext())
        {
            Assert.Single(await db.AcknowledgeAsync(shop.MerchantId, order.Id, "clerk@test.local", DateTime.UtcNow.AddSeconds(1), Ct));
            Assert.True(await db.DecideAsync(shop.MerchantId, order.Id, OrderStatus.Accepted, DateTime.UtcNow.AddSeconds(2), "manager@test.local", Ct));
        }

        var stored = await ReadAsync(_database, order.Id);
        await using var ctx = await OpenAsync(_database, shop.Email, poll: false);

        var page = ctx.Render<OrderDetails>(p => p.Add(x => x.Id, order.Id));

        page.WaitForAssertion(() => Assert.Contains($"Timeline ({Zone})", page.Find("[data-testid=order-timeline]").TextContent), Deadline);
        var events = page.FindAll("[data-testid=order-timeline-event]");
        Assert.Equal(["created", "first-shown", "acknowledged", "accepted"], events.Select(e => e.GetAttribute("data-event")));
        Assert.Equal(Berlin(stored.CreatedAt), events[0].QuerySelector("time")!.TextContent);
        Assert.Equal(Berlin(stored.FirstShownAt!.Value), events[1].QuerySelector("time")!.TextContent);
        Assert.Equal(Berlin(stored.AcknowledgedAt!.Value), events[2].QuerySelector("time")!.TextContent);
        Assert.Equal("by clerk@test.local", events[2].QuerySelector("[data-testid=order-timeline-by]")!.TextContent);
        Assert.Equal(Berlin(stored.StatusChangedAt), events[3].QuerySelector("time")!.TextContent);
        Assert.Equal("by manager@test.local", events[3].QuerySelector("[data-testid=order-timeline-by]")!.TextContent);
    }

    [Fact]
    public async Task ANewOrderNobodyHasSeenShowsOnlyItsCreationAndAnAcknowledgementMadeElsewhereAppearsLive()
    {
        var shop = await NewShopAsync(_database, ("Unseen Customer", OrderStatus.New));
        var order = shop.Orders[0];
        await using var ctx = await OpenAsync(_database, shop.Email);

        var page = ctx.Render<OrderDetails>(p => p.Add(x => x.Id, order.Id));

        page.WaitForAssertion(() => Assert.Equal(["created"], page.FindAll("[data-testid=order-timeline-event]").Select(e => e.GetAttribute("data-event"))), Deadline);
        Assert.Empty(page.FindAll("[data-testid=order-timeline-by]"));

        // Another tab or device acknowledges it: the change feed brings it to this page.
        await using (var db = _database.CreateDbContext())
        {
            Assert.Single(await db.AcknowledgeAsync(shop.MerchantId, order.Id, "elsewhere@test.local", DateTime.UtcNow, Ct));
        }

        page.WaitForAssertion(() => Assert.Equal("by elsewhere@test.local", page.Find("[data-event=acknowledged] [data-testid=order-timeline-by]").TextContent), Deadline);
    }

    private static string Berlin(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById(Zone)).ToString("f", CultureInfo.InvariantCulture);
}
