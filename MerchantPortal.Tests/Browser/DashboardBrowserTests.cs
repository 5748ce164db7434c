using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>The real app in a real Chromium: blazor.web.js loads and a circuit drives the page.</summary>
[Collection(SharedAppTests.Name)]
public sealed class DashboardBrowserTests(PortalApp app, BrowserFixture browsers)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task DashboardLoadsBlazorScriptAndBecomesInteractive()
    {
        var browser = await browsers.GetBrowserAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var circuitSocket = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                circuitSocket.TrySetResult(socket.Url);
            }
        };
        // .NET 10's own script through MapStaticAssets: fingerprinted (blazor.web.<hash>.js).
        var script = page.WaitForResponseAsync(r => System.Text.RegularExpressions.Regex.IsMatch(new Uri(r.Url).AbsolutePath, @"^/_framework/blazor\.web(\.[a-z0-9]+)?\.js$"));

        await SignInAsync(page, "merchant1@demo.local");

        Assert.Equal(200, (await script).Status);
        await Assertions.Expect(page.GetByTestId("new-order-badge")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await circuitSocket.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1);

        // Sorting the grid is handled by a server event over the circuit: it proves interactivity.
        await page.GotoAsync("orders");
        var grid = page.GetByTestId("orders-grid");
        await Assertions.Expect(grid.GetByTestId("order-row")).ToHaveCountAsync(20);
        var header = grid.Locator("th").Filter(new LocatorFilterOptions { HasText = "Customer" });
        await header.ClickAsync();
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "ascending", new LocatorAssertionsToHaveAttributeOptions { Timeout = (float)Deadline.TotalMilliseconds });
        // data-testid="order-row" marks each row's order link (MudDataGrid puts no attributes on
        // its <tr>); the row element itself carries the class order-row.
        var names = await grid.Locator("tr.order-row td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal(20, names.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal), names, StringComparer.Ordinal);
    }

    [Fact]
    public async Task BadgeShowsTheMerchantsNewOrderCountFromTheDatabase()
    {
        await using var db = app.Database.CreateDbContext();
        var expected = db.Orders.Count(o => o.Merchant!.Name == "Demo Shop 2" && o.Status == MerchantPortal.Data.Orders.OrderStatus.New);
        var browser = await browsers.GetBrowserAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();

        await SignInAsync(page, "merchant2@demo.local");

        await Assertions.Expect(page.GetByTestId("new-order-badge")).ToHaveTextAsync(expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator(".portal-title")).ToHaveTextAsync("Demo Shop 2");
    }

    [Fact]
    public async Task TheDashboardShowsTodayAndTheRecentOrdersInTheBrowsersTimeZone()
    {
        var browser = await browsers.GetBrowserAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            TimezoneId = "Asia/Tokyo",
        });
        var page = await context.NewPageAsync();

        await SignInAsync(page, "merchant1@demo.local");

        await Assertions.Expect(page.GetByTestId("dashboard-today-zone")).ToContainTextAsync("Asia/Tokyo");
        await Assertions.Expect(page.GetByTestId("recent-orders")).ToContainTextAsync("Times in Asia/Tokyo");
        await using var db = app.Database.CreateDbContext();
        var newest = db.Orders.Where(o => o.Merchant!.Name == "Demo Shop 1").OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).First();
        var tokyo = TimeZoneInfo.ConvertTimeFromUtc(newest.CreatedAt, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        var first = page.GetByTestId("recent-order").First;
        await Assertions.Expect(first).ToHaveAttributeAsync("href", $"orders/{newest.Id}");
        await Assertions.Expect(first).ToContainTextAsync(tokyo.ToString("g", System.Globalization.CultureInfo.InvariantCulture));
        var midnight = TimeZoneInfo.ConvertTimeToUtc(
            DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).Date, DateTimeKind.Unspecified),
            TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        var today = db.Orders.Count(o => o.Merchant!.Name == "Demo Shop 1" && o.CreatedAt >= midnight);
        await Assertions.Expect(page.GetByTestId("dashboard-today-count")).ToHaveTextAsync(today.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    internal static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("Account/Login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(PortalSignIn.DemoPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/", new PageWaitForURLOptions { Timeout = (float)Deadline.TotalMilliseconds });
    }
}
