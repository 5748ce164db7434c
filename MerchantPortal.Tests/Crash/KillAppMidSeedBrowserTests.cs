using MerchantPortal.Tests.Browser;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Crash;

/// <summary>
/// The app process itself killed (SIGKILL) right after an admin submits a 1,000-order batch on
/// /admin/seed, with a merchant's dashboard open in Chromium: after the restart the batch is
/// there entirely or not at all, numbers are unique and the counter consistent, and the open tab
/// comes back live by itself with the database's badge.
/// </summary>
public sealed class KillAppMidSeedBrowserTests(BrowserFixture browsers)
{
    [Fact]
    public async Task AnAppKilledDuringAnAdminBatchRestartsWithAllOrNoneAndTheOpenTabLiveWithTheRightBadge()
    {
        await using var app = await OwnApp.StartAsync();
        await using var tab = await Dashboard.OpenAsync(browsers, app);
        var before = await app.NewCountAsync();
        var browser = await browsers.GetBrowserAsync();
        await using var admin = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var seed = await admin.NewPageAsync();
        await DashboardBrowserTests.SignInAsync(seed, "admin@demo.local");
        await seed.GotoAsync("admin/seed");
        await Assertions.Expect(seed.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await seed.GetByTestId("seed-merchant").SelectOptionAsync(new SelectOptionValue { Label = OwnApp.Shop });
        await seed.GetByTestId("seed-count").FillAsync("1000");

        await seed.GetByTestId("seed-submit").ClickAsync();
        // Not a wait for something: where the kill lands (before, inside or after the batch's
        // transaction) is the variable, and every outcome must hold the invariants below.
        await Task.Delay(Random.Shared.Next(0, 200), TestContext.Current.CancellationToken);
        await app.StopAsync();

        var written = await app.NewCountAsync() - before;
        Assert.True(written is 0 or 1000, $"{written} orders of a 1,000-order batch survived the kill");
        await app.StartAgainAsync();

        await tab.ExpectPillAsync("Live");
        await tab.ExpectBadgeAsync(before + written);
        Assert.False(await tab.IsSamePageAsync(), "after a restart the old circuit is gone: the page must have reloaded");
        await using var db = app.Database.CreateDbContext();
        var numbers = await db.Orders.Where(o => o.Merchant!.Name == OwnApp.Shop).Select(o => o.Number).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.Equal(numbers.Max(), (await db.Merchants.SingleAsync(m => m.Name == OwnApp.Shop, TestContext.Current.CancellationToken)).LastOrderNumber);
        TestContext.Current.TestOutputHelper?.WriteLine($"killed with {written} of 1000 orders committed");
        tab.AssertNoScriptErrors();
    }
}
