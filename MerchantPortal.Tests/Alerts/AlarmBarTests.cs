using System.Globalization;
using Bunit;
using MerchantPortal.Components.Shared;
using MerchantPortal.Data.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MerchantPortal.Tests.Components.OrderPages;

namespace MerchantPortal.Tests.Alerts;

/// <summary>
/// The alarm bar in bUnit with the app's real services, poller and notifier on a real SQLite
/// file: what it shows comes from the database, and acknowledging goes back through the feed.
/// The browser side (js/alarm.js) is a planned module whose calls the tests read.
/// </summary>
public sealed class AlarmBarTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task TheBarShowsHowManyOrdersAreUnacknowledgedAndSinceWhenInTheBrowsersZone()
    {
        var shop = await NewShopAsync(_database, ("First", OrderStatus.New), ("Decided", OrderStatus.Accepted), ("Second", OrderStatus.New));
        await using var ctx = await OpenAsync(_database, shop.Email);
        var module = PlanAlarmModule(ctx);

        var bar = ctx.Render<AlarmBar>();

        bar.WaitForAssertion(() => Assert.Equal("2", bar.Find("[data-testid=alarm-count]").TextContent.Trim()), Deadline);
        var oldest = (await ReadAsync(_database, shop.Orders[0].Id)).CreatedAt;
        bar.WaitForAssertion(() => Assert.Equal($"since {Expected(oldest)} ({Zone})", bar.Find("[data-testid=alarm-since]").TextContent.Trim()), Deadline);
        Assert.Contains("2 unacknowledged orders", bar.Find("[data-testid=alarm-bar]").TextContent, StringComparison.Ordinal);
        Assert.Equal("on", bar.Find("[data-testid=alarm-status]").GetAttribute("data-alarm"));
        // The browser is told once: on, the default 30 s repeat, sound off (the user's default).
        bar.WaitForAssertion(() => Assert.Equal<object?>([true, 30, false], module.VerifyInvoke("update").Arguments), Deadline);
    }

    [Fact]
    public async Task AcknowledgeAllWritesWhoAndWhenAndTheBarGoesAwayWhenTheChangeComesBack()
    {
        var shop = await NewShopAsync(_database, ("One", OrderStatus.New), ("Two", OrderStatus.New));
        await using var ctx = await OpenAsync(_database, shop.Email);
        var module = PlanAlarmModule(ctx);
        var bar = ctx.Render<AlarmBar>();
        bar.WaitForAssertion(() => Assert.Equal("2", bar.Find("[data-testid=alarm-count]").TextContent.Trim()), Deadline);

        await bar.Find("[data-testid=acknowledge-all]").ClickAsync(new());

        bar.WaitForAssertion(() => Assert.Empty(bar.FindAll("[data-testid=alarm-bar]")), Deadline);
        Assert.Equal("off", bar.Find("[data-testid=alarm-status]").GetAttribute("data-alarm"));
        foreach (var order in shop.Orders)
        {
            var stored = await ReadAsync(_database, order.Id);
            Assert.Equal(shop.Email, stored.AcknowledgedBy);
            Assert.NotNull(stored.AcknowledgedAt);
            Assert.Equal(OrderStatus.New, stored.Status);
        }

        // The browser was told to stop: the last update says off.
        bar.WaitForAssertion(() => Assert.Equal(false, module.Invocations["update"][^1].Arguments[0]), Deadline);
    }

    [Fact]
    public async Task WithNothingUnacknowledgedThereIsNoBarButTheStatusSaysOff()
    {
        var shop = await NewShopAsync(_database, ("Done", OrderStatus.Accepted));
        await using var ctx = await OpenAsync(_database, shop.Email);
        var module = PlanAlarmModule(ctx);

        var bar = ctx.Render<AlarmBar>();

        bar.WaitForAssertion(() => Assert.Equal<object?>([false, 30, false], module.VerifyInvoke("update").Arguments), Deadline);
        Assert.Equal("off", bar.Find("[data-testid=alarm-status]").GetAttribute("data-alarm"));
        Assert.Empty(bar.FindAll("[data-testid=alarm-bar]"));
        Assert.Empty(bar.FindAll("[data-testid=acknowledge-all]"));
    }

    [Fact]
    public async Task ANewOrderRingsOnceAndTheRepeatIntervalComesFromTheUsersStoredSettings()
    {
        var shop = await NewShopAsync(_database, ("Done", OrderStatus.Accepted));
        await SetAlertsAsync(shop.Email, sound: true, repeatSeconds: 15);
        await using var ctx = await OpenAsync(_database, shop.Email);
        var module = PlanAlarmModule(ctx);
        await ctx.Services.GetRequiredService<MerchantPortal.Orders.SoundAlerts>().LoadAsync();
        var bar = ctx.Render<AlarmBar>();
        bar.WaitForAssertion(() => Assert.Equal<object?>([false, 15, true], module.VerifyInvoke("update").Arguments), Deadline);

        await AddOrdersAsync(_database, shop.MerchantId, DateTime.UtcNow, ("Arrived", OrderStatus.New));

        bar.WaitForAssertion(() => Assert.Equal("1", bar.Find("[data-testid=alarm-count]").TextContent.Trim()), Deadline);
        // It rings through the rendered count js/alarm.js watches, not through a JS call.
        bar.WaitForAssertion(() => Assert.Equal("1", bar.Find("[data-testid=alarm-status]").GetAttribute("data-ring")), Deadline);
        Assert.Equal<object?>([true, 15, true], module.Invocations["update"][^1].Arguments);
        Assert.DoesNotContain("ring", module.Invocations.Select(i => i.Identifier));
    }

    [Fact]
    public async Task ARepeatIntervalThatIsNotOneOfTheChoicesFallsBackToThirtySeconds()
    {
        var shop = await NewShopAsync(_database, ("Waiting", OrderStatus.New));
        await SetAlertsAsync(shop.Email, sound: false, repeatSeconds: 1);
        await using var ctx = await OpenAsync(_database, shop.Email, poll: false);
        var module = PlanAlarmModule(ctx);

        var bar = ctx.Render<AlarmBar>();

        bar.WaitForAssertion(() => Assert.Equal<object?>([true, 30, false], module.VerifyInvoke("update").Arguments), Deadline);
    }

    private static BunitJSModuleInterop PlanAlarmModule(PortalComponentContext ctx)
    {
        var module = ctx.JSInterop.SetupModule("./js/alarm.js");
        module.SetupVoid("update", _ => true).SetVoidResult();
        return module;
    }

    private async Task SetAlertsAsync(string email, bool sound, int repeatSeconds)
    {
        await using var db = _database.CreateDbContext();
        await db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(set => set
            .SetProperty(u => u.SoundAlerts, sound)
            .SetProperty(u => u.AlertRepeatSeconds, repeatSeconds));
    }

    // As the bar words it: time of day when the oldest order is from today in the browser's zone.
    private static string Expected(DateTime utc)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone).Date;
        return local.ToString(local.Date == today ? "t" : "g", CultureInfo.InvariantCulture);
    }
}
