using MerchantPortal.Data.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>
/// The orders pages in Chromium as a merchant sees them: axe-core finds no serious or critical
/// violation, and at a phone's width the page itself does not scroll sideways (the grid stacks
/// its cells). Read-only: no write to the shared app's database.
/// </summary>
[Collection(SharedAppTests.Name)]
public sealed class OrdersPagesBrowserTests(PortalApp app, BrowserFixture browsers) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    [Theory]
    [InlineData(1280, "light")]
    [InlineData(390, "light")]
    [InlineData(1280, "dark")]
    [InlineData(390, "dark")]
    public async Task TheOrdersPageHasNoSeriousAccessibilityViolations(int width, string scheme)
    {
        var page = await OpenAsync("merchant1@demo.local", "orders", width, scheme);
        await Assertions.Expect(page.GetByTestId("orders-grid").Locator("tr.order-row")).ToHaveCountAsync(20);

        await Accessibility.AssertNoSeriousViolationsAsync(page, $"/orders at {width} px, {scheme}");
        await ExpectNoSidewaysScrollAsync(page);
    }

    [Theory]
    [InlineData(1280, "light")]
    [InlineData(390, "light")]
    [InlineData(1280, "dark")]
    [InlineData(390, "dark")]
    public async Task TheOrderPageHasNoSeriousAccessibilityViolations(int width, string scheme)
    {
        long id;
        await using (var db = app.Database.CreateDbContext())
        {
            id = await db.Orders.Where(o => o.Merchant!.Name == "Demo Shop 1" && o.Status == OrderStatus.New)
                .Select(o => o.Id).FirstAsync(TestContext.Current.CancellationToken);
        }

        var page = await OpenAsync("merchant1@demo.local", $"orders/{id}", width, scheme);
        await Assertions.Expect(page.GetByTestId("accept-order")).ToBeVisibleAsync();

        await Accessibility.AssertNoSeriousViolationsAsync(page, $"/orders/{id} at {width} px, {scheme}");
        await ExpectNoSidewaysScrollAsync(page);
    }

    [Fact]
    public async Task TheStatusFilterIsLabelledAndWorksFromTheKeyboard()
    {
        var page = await OpenAsync("merchant1@demo.local", "orders", 1280);
        var rows = page.GetByTestId("orders-grid").Locator("tr.order-row");
        await Assertions.Expect(rows).ToHaveCountAsync(20);
        var filter = page.GetByLabel("Status", new PageGetByLabelOptions { Exact = true });
        await Assertions.Expect(filter).ToHaveAttributeAsync("data-testid", "status-filter");

        await filter.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown"); // "All statuses" -> "New"

        await Assertions.Expect(filter).ToHaveValueAsync("New");
        await Assertions.Expect(rows.Locator(".order-status-chip").Filter(new LocatorFilterOptions { HasNotText = "New" })).ToHaveCountAsync(0);
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
    }

    private static async Task ExpectNoSidewaysScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow} px.");
    }

    // The theme follows the system's preference until the user picks one (the demo users have not).
    private async Task<IPage> OpenAsync(string email, string path, int width, string scheme = "light")
    {
        var browser = await browsers.GetBrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await DashboardBrowserTests.SignInAsync(page, email);
        await page.GotoAsync(path);
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
