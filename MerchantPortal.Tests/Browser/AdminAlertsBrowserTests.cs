using System.Diagnostics;
using System.Text;
using MerchantPortal.Admin;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>The admin's "who is not answering" in Chromium: presence and unattended orders on admin home.</summary>
[Collection(SharedAppTests.Name)]
public sealed class AdminAlertsBrowserTests(PortalApp app, BrowserFixture browsers, ITestOutputHelper output)
{
    /// <summary>
    /// The stated time: the row is written or deleted as the tab's connection opens or closes, and
    /// admin home re-reads every Node:HeartbeatInterval (5 s by default); 10 s leaves room for a
    /// busy machine.
    /// </summary>
    private const float PresenceDeadline = 10_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMerchantsPresenceGoesOfflineWhenItsLastTabClosesAndOnlineWhenOneOpens()
    {
        var shop = $"Presence Shop {Guid.NewGuid():N}"[..26];
        var email = $"presence-{Guid.NewGuid():N}@test.local";
        await using (var scope = app.Database.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MerchantAdmin>().CreateAsync(shop, AdminActor.CommandLine, Ct);
            await scope.ServiceProvider.GetRequiredService<UserAdmin>().CreateMerchantUserAsync(email, PortalSignIn.DemoPassword, shop, AdminActor.CommandLine, Ct);
        }

        await using var adminContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var admin = await SignedInAsync(adminContext, "admin@demo.local");
        var row = admin.Locator($"[data-testid=merchant-presence][data-merchant='{shop}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-online", "false", new() { Timeout = PresenceDeadline });

        await using var merchantContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var first = await SignedInAsync(merchantContext, email);
        var second = await merchantContext.NewPageAsync();
        await second.GotoAsync("orders");
        await Assertions.Expect(second.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var opened = Stopwatch.StartNew();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-online", "true", new() { Timeout = PresenceDeadline });
        output.WriteLine($"online on admin home {opened.ElapsedMilliseconds} ms after the tabs were live");

        // One of two tabs closing changes nothing; the last one does.
        await first.CloseAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-online", "true");
        var closed = Stopwatch.StartNew();
        await second.CloseAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-online", "false", new() { Timeout = PresenceDeadline });
        output.WriteLine($"offline on admin home {closed.ElapsedMilliseconds} ms after the last tab closed");

        var again = await merchantContext.NewPageAsync();
        await again.GotoAsync("/");
        await Assertions.Expect(again.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var reopened = Stopwatch.StartNew();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-online", "true", new() { Timeout = PresenceDeadline });
        output.WriteLine($"online again {reopened.ElapsedMilliseconds} ms after a tab opened");
    }

    [Fact]
    public async Task AnOrderLeftUnacknowledgedPastAShortUnattendedAfterAppearsOnAdminHome()
    {
        // An app of this test's own: the shared one runs with the 5-minute default.
        var unattendedAfter = TimeSpan.FromSeconds(3);
        await using var database = new TestDatabase();
        var log = new StringBuilder();
        var address = AppProcess.FreeLoopbackAddress();
        var process = AppProcess.Start(database.ConnectionString, ["--urls", address.ToString().TrimEnd('/')], log, new Dictionary<string, string>
        {
            ["Alerts__UnattendedAfter"] = "00:00:03",
            ["Node__HeartbeatInterval"] = "00:00:01",
        });
        try
        {
            await AppProcess.WaitUntilServingAsync(process, address, log);
            await using (var db = database.CreateDbContext())
            {
                // The demo data's orders are answered, so the only unattended order is this test's.
                await db.Orders.ExecuteUpdateAsync(set => set.SetProperty(o => o.AcknowledgedAt, DateTime.UtcNow), Ct);
            }

            var browser = await browsers.GetBrowserAsync();
            await using var adminContext = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString() });
            var admin = await SignedInAsync(adminContext, "admin@demo.local");
            await Assertions.Expect(admin.GetByTestId("unattended-none")).ToBeVisibleAsync(new() { Timeout = 10_000 });

            Order order;
            await using (var db = database.CreateDbContext())
            {
                order = (await TestOrders.InsertAsync(db, "Demo Shop 2")).Single();
            }

            var written = Stopwatch.StartNew();
            var row = admin.Locator($"[data-testid=unattended-order][data-order='{order.Id}']");
            await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 10_000 });
            var shownAfter = written.Elapsed;
            output.WriteLine($"listed {shownAfter.TotalMilliseconds:0} ms after the order was written (UnattendedAfter 3 s, refresh 1 s)");
            // Not before it was unattended (less a little for the clocks of two processes).
            Assert.True(shownAfter >= unattendedAfter - TimeSpan.FromMilliseconds(500), $"Listed after {shownAfter}, before UnattendedAfter.");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-merchant", "Demo Shop 2");
            await Assertions.Expect(row).ToContainTextAsync(order.DisplayNumber);
            await Assertions.Expect(row.GetByTestId("unattended-age")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ s$"));
        }
        finally
        {
            await AppProcess.StopAsync(process);
        }
    }

    private static async Task<IPage> SignedInAsync(IBrowserContext context, string email)
    {
        var page = await context.NewPageAsync();
        await DashboardBrowserTests.SignInAsync(page, email);
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        return page;
    }
}
