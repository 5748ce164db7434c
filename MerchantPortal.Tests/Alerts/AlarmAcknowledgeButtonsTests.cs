using Bunit;
using MerchantPortal.Components.Pages.Orders;
using MerchantPortal.Data.Orders;
using MerchantPortal.Tests.Components;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static MerchantPortal.Tests.Components.OrderPages;

namespace MerchantPortal.Tests.Alerts;

/// <summary>
/// The Acknowledge buttons on the order page and on a new order's toast, in bUnit with the app's
/// real services and poller on a real SQLite file.
/// </summary>
public sealed class AlarmAcknowledgeButtonsTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task TheOrderPageAcknowledgesANewOrderAndThenOffersOnlyAcceptAndReject()
    {
        var shop = await NewShopAsync(_database, ("Waiting Customer", OrderStatus.New));
        var order = shop.Orders[0];
        await using var ctx = await OpenAsync(_database, shop.Email);
        var page = ctx.Render<OrderDetails>(p => p.Add(x => x.Id, order.Id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=acknowledge-order]")), Deadline);

        await page.Find("[data-testid=acknowledge-order]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=acknowledge-order]")), Deadline);
        Assert.NotNull(page.Find("[data-testid=accept-order]"));
        var stored = await ReadAsync(_database, order.Id);
        Assert.Equal(shop.Email, stored.AcknowledgedBy);
        Assert.Equal(OrderStatus.New, stored.Status);
    }

    [Fact]
    public async Task ADecidedOrderHasNoAcknowledgeButton()
    {
        var shop = await NewShopAsync(_database, ("Accepted Customer", OrderStatus.Accepted));
        await using var ctx = await OpenAsync(_database, shop.Email, poll: false);

        var page = ctx.Render<OrderDetails>(p => p.Add(x => x.Id, shop.Orders[0].Id));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=order-details]")), Deadline);
        Assert.Empty(page.FindAll("[data-testid=acknowledge-order]"));
    }

    [Fact]
    public async Task AToastsAcknowledgeButtonAcknowledgesItsOrderWithoutOpeningIt()
    {
        var shop = await NewShopAsync(_database);
        await using var ctx = await OpenAsync(_database, shop.Email);
        var layout = ctx.RenderLayout();
        await Until(() => ctx.Live.HandlerCount > 0);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;

        var order = (await AddOrdersAsync(_database, shop.MerchantId, DateTime.UtcNow, ("Toast Customer", OrderStatus.New)))[0];

        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid=acknowledge-order]")), Deadline);
        await layout.Find("[data-testid=acknowledge-order]").ClickAsync(new());

        await Until(() => ReadAsync(_database, order.Id).Result.AcknowledgedBy == shop.Email);
        // The toast closes itself (MudBlazor animates it out) and did not navigate to the order.
        layout.WaitForAssertion(() => Assert.Empty(layout.FindAll("[data-testid=acknowledge-order]")), Deadline);
        Assert.Equal(before, navigation.Uri);
    }
}
