using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>The layout is plain markup (no Radzen layout components): its menu and toggle still work.</summary>
[Collection(SharedAppTests.Name)]
public sealed class LayoutBrowserTests(PortalApp app, BrowserFixture browsers) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    [Theory]
    [InlineData(1280, true)]
    [InlineData(390, false)]
    public async Task MenuButtonTogglesTheSidebar(int viewportWidth, bool openAtFirst)
    {
        var page = await OpenAsync("merchant1@demo.local", viewportWidth);
        var toggle = page.Locator("label.rz-sidebar-toggle");

        await ExpectSidebarOpenAsync(page, openAtFirst);
        await toggle.ClickAsync();
        await ExpectSidebarOpenAsync(page, !openAtFirst);
        await toggle.ClickAsync();
        await ExpectSidebarOpenAsync(page, openAtFirst);
    }

    [Fact]
    public async Task MenuMarksTheCurrentPageAndFollowsNavigation()
    {
        var page = await OpenAsync("merchant1@demo.local", 1280);
        var menu = page.Locator(".portal-sidebar");
        var dashboard = menu.GetByRole(AriaRole.Menuitem, new() { Name = "Dashboard" });
        var orders = menu.GetByRole(AriaRole.Menuitem, new() { Name = "Orders" });

        await Assertions.Expect(dashboard).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(orders).Not.ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(menu.GetByRole(AriaRole.Menuitem, new() { Name = "Merchants" })).ToHaveCountAsync(0);

        await orders.ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/orders");
        await Assertions.Expect(page.GetByTestId("orders-grid")).ToBeVisibleAsync();
        await Assertions.Expect(orders).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(dashboard).Not.ToHaveAttributeAsync("aria-current", "page");
    }

    [Fact]
    public async Task AdminSeesTheAdminMenuAndNoMerchantWidgets()
    {
        var page = await OpenAsync("admin@demo.local", 1280);
        var menu = page.Locator(".portal-sidebar");

        await Assertions.Expect(page.Locator(".portal-title")).ToHaveTextAsync("MerchantPortal admin");
        await Assertions.Expect(menu.GetByRole(AriaRole.Menuitem, new() { Name = "Seed orders" })).ToBeVisibleAsync();
        await Assertions.Expect(menu.GetByRole(AriaRole.Menuitem, new() { Name = "Orders", Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("new-order-badge")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("sound-toggle")).ToHaveCountAsync(0);

        await menu.GetByRole(AriaRole.Menuitem, new() { Name = "Merchants" }).ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/admin/merchants");
        await Assertions.Expect(menu.GetByRole(AriaRole.Menuitem, new() { Name = "Merchants" })).ToHaveAttributeAsync("aria-current", "page");
    }

    private async Task<IPage> OpenAsync(string email, int viewportWidth)
    {
        var browser = await browsers.GetBrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = viewportWidth, Height = 800 },
        });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await DashboardBrowserTests.SignInAsync(page, email);
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1);
        return page;
    }

    // The sidebar animates its width: wait until it settles open (wider than 100 px) or closed.
    private static async Task ExpectSidebarOpenAsync(IPage page, bool open)
    {
        var settled = await page.WaitForFunctionAsync(
            "open => { const w = document.querySelector('.portal-sidebar').getBoundingClientRect().width; return open ? w > 100 : w < 1; }",
            open, new PageWaitForFunctionOptions { Timeout = 5_000 });
        Assert.True(await settled.JsonValueAsync<bool>());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
