using Bunit;
using MerchantPortal.Components.Shared;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace MerchantPortal.Tests.Alerts;

/// <summary>
/// Alert settings and the armed check's server side, with the app's real services on a real
/// SQLite file: settings are stored on the signed-in user and read back by another circuit
/// (another browser or device), values the browser makes up are refused, and the armed check
/// hands the script the user's settings and new orders only when notifications are on.
/// </summary>
public sealed class AlertSettingsTests : IAsyncLifetime
{
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
    public async Task SettingsChosenOnOneDeviceAreStoredForThatUserOnlyAndLoadOnAnother()
    {
        await using (var laptop = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local"))
        {
            var panel = laptop.Render<AlertSettingsPanel>();
            Assert.Equal("30", panel.Find("[data-testid=alert-repeat]").GetAttribute("value"));
            Assert.False(panel.Find("[data-testid=alert-sound]").HasAttribute("checked"));
            Assert.False(panel.Find("[data-testid=alert-notifications]").HasAttribute("checked"));

            await panel.Find("[data-testid=alert-repeat]").ChangeAsync(new() { Value = "60" });
            await panel.Find("[data-testid=alert-sound]").ChangeAsync(new() { Value = true });
            await panel.Find("[data-testid=alert-notifications]").ChangeAsync(new() { Value = true });

            panel.WaitForAssertion(() => Assert.True(panel.Find("[data-testid=alert-notifications]").HasAttribute("checked")));
            Assert.Empty(panel.FindAll("[data-testid=alert-settings-error]"));
        }

        var stored = await StoredAsync("merchant1@demo.local");
        Assert.Equal((true, 60, true), stored);
        // Another user of the portal keeps the defaults.
        Assert.Equal((false, 30, false), await StoredAsync("merchant2@demo.local"));

        await using var phone = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        var onPhone = phone.Render<AlertSettingsPanel>();
        onPhone.WaitForAssertion(() => Assert.Equal("60", onPhone.Find("[data-testid=alert-repeat]").GetAttribute("value")));
        Assert.True(onPhone.Find("[data-testid=alert-sound]").HasAttribute("checked"));
        Assert.True(onPhone.Find("[data-testid=alert-notifications]").HasAttribute("checked"));
        var settings = phone.Services.GetRequiredService<AlertSettings>();
        Assert.Equal(TimeSpan.FromSeconds(60), settings.RepeatInterval);

        await onPhone.Find("[data-testid=alert-repeat]").ChangeAsync(new() { Value = "0" });

        Assert.Equal((true, 0, true), await StoredAsync("merchant1@demo.local"));
        Assert.Null(settings.RepeatInterval);
    }

    [Theory]
    [InlineData("45")]
    [InlineData("-15")]
    [InlineData("15.0")]
    [InlineData("thirty")]
    [InlineData("")]
    public async Task ARepeatIntervalOtherThanOffFifteenThirtyOrSixtySecondsIsRefusedAndNothingIsStored(string sent)
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        var panel = ctx.Render<AlertSettingsPanel>();

        await panel.Find("[data-testid=alert-repeat]").ChangeAsync(new() { Value = sent });

        panel.WaitForAssertion(() => Assert.Contains("Choose off, 15, 30 or 60 seconds.", panel.Find("[data-testid=alert-settings-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal((false, 30, false), await StoredAsync("merchant1@demo.local"));
        // The service itself refuses too, whoever calls it.
        Assert.False(await ctx.Services.GetRequiredService<AlertSettings>().SetRepeatSecondsAsync(7));
        Assert.Equal(30, (await StoredAsync("merchant1@demo.local")).Repeat);
    }

    [Fact]
    public async Task TheArmedCheckStartsNotArmedAndGivesTheScriptTheUsersSettingsAsTheyChange()
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        var module = ctx.JSInterop.SetupModule("./js/alerts.js");
        var init = module.SetupVoid("init", _ => true);
        var armed = ctx.Render<AlertsArmed>();

        armed.WaitForAssertion(() => Assert.Single(init.Invocations));
        var element = armed.Find("[data-testid=alerts-armed]");
        // Not armed until the script has checked the browser; the script owns data-armed from then on.
        Assert.Equal("false", element.GetAttribute("data-armed"));
        Assert.Equal("false", element.GetAttribute("data-want-sound"));
        Assert.Equal("false", element.GetAttribute("data-want-notifications"));
        Assert.NotNull(armed.Find("[data-testid=alerts-test]"));
        Assert.Equal("alerts", armed.Find("[data-testid=alert-settings-link]").GetAttribute("href"));

        // The settings page in the same circuit, and the app bar's sound toggle.
        var settings = ctx.Services.GetRequiredService<AlertSettings>();
        await settings.SetNotificationsAsync(true);
        armed.WaitForAssertion(() => Assert.Equal("true", armed.Find("[data-testid=alerts-armed]").GetAttribute("data-want-notifications")));
        await ctx.Services.GetRequiredService<SoundAlerts>().SetAsync(true);
        armed.WaitForAssertion(() => Assert.Equal("true", armed.Find("[data-testid=alerts-armed]").GetAttribute("data-want-sound")));
        Assert.Equal("false", armed.Find("[data-testid=alerts-armed]").GetAttribute("data-armed"));

        // The server's answer to the page's sign-of-life check.
        Assert.True(armed.Instance.Ping());
    }

    [Fact]
    public async Task NewOrdersGoToTheBrowserAsBackgroundNotificationsOnlyWhenTheUserTurnedThemOn()
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        var module = ctx.JSInterop.SetupModule("./js/alerts.js");
        module.SetupVoid("init", _ => true).SetVoidResult();
        var armed = ctx.Render<AlertsArmed>();
        await WaitSubscribedAsync(ctx);
        var renders = armed.RenderCount;

        ctx.Notifier.Publish(new OrderNotification(_shop1, 1, 5, [Created(501, 1042, "Ada Lovelace", 12.5m)]));
        // The toasts' path ran (the live view's count moved) but nothing went to the browser: no
        // render (an empty batch to every tab), no orders in the markup. It polls, as no render comes.
        await Eventually.HoldsAsync(() => ctx.Live.NewOrderCount == 5, "The live count did not reach 5.", TimeSpan.FromSeconds(5));
        await armed.InvokeAsync(() => { });
        Assert.Equal(renders, armed.RenderCount);
        Assert.False(armed.Find("[data-testid=alerts-armed]").HasAttribute("data-alerts-orders"));

        await ctx.Services.GetRequiredService<AlertSettings>().SetNotificationsAsync(true);
        armed.WaitForAssertion(() => Assert.Equal("true", armed.Find("[data-testid=alerts-armed]").GetAttribute("data-want-notifications")));
        ctx.Notifier.Publish(new OrderNotification(_shop1, 2, 7,
            [Created(502, 1043, "Alan Turing", 99m), Created(503, 1044, "Grace Hopper", 3m), StatusChange(501)]));

        // The orders ride on the tab's render (js/alerts.js shows them if the page is hidden), not on a call.
        armed.WaitForAssertion(() => Assert.True(armed.Find("[data-testid=alerts-armed]").HasAttribute("data-alerts-orders")));
        using var json = System.Text.Json.JsonDocument.Parse(armed.Find("[data-testid=alerts-armed]").GetAttribute("data-alerts-orders")!);
        var orders = json.RootElement.EnumerateArray().ToList();
        // New orders only: the status change is not news.
        Assert.Equal(2, orders.Count);
        Assert.Equal("New order #1043", orders[0].GetProperty("title").GetString());
        Assert.Equal("Alan Turing · 99.00 EUR", orders[0].GetProperty("body").GetString());
        Assert.Equal("orders/502", orders[0].GetProperty("url").GetString());
        Assert.Equal(503, orders[1].GetProperty("id").GetInt64());
        Assert.DoesNotContain(module.Invocations, i => i.Identifier == "notify");
    }

    private OrderChangeEvent Created(long orderId, int number, string customer, decimal total) =>
        new(orderId, orderId, _shop1, OrderChangeKind.Created, OrderStatus.New, number, customer, total, "EUR", DateTime.UtcNow);

    private OrderChangeEvent StatusChange(long orderId) =>
        Created(orderId, 1, "x", 1m) with { Kind = OrderChangeKind.StatusChanged, Status = OrderStatus.Accepted };

    private static async Task WaitSubscribedAsync(PortalComponentContext ctx)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (ctx.Live.HandlerCount == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The armed check did not subscribe to live orders within 5 s.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    private async Task<(bool Sound, int Repeat, bool Notifications)> StoredAsync(string email)
    {
        await using var db = _database.CreateDbContext();
        var user = await db.Users.Where(u => u.Email == email)
            .Select(u => new { u.SoundAlerts, u.AlertRepeatSeconds, u.AlertNotifications })
            .SingleAsync(TestContext.Current.CancellationToken);
        return (user.SoundAlerts, user.AlertRepeatSeconds, user.AlertNotifications);
    }
}
