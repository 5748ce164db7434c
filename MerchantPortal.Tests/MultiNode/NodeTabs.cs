using MerchantPortal.Tests.Browser;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.MultiNode;

/// <summary>Browser contexts through nginx, placed on a chosen node by their affinity cookie.</summary>
internal static class NodeTabs
{
    /// <summary>A fresh browser context on nginx's address; with a node, its affinity cookie is set so nginx sends it there.</summary>
    public static async Task<IBrowserContext> ContextAsync(BrowserFixture browsers, TwoNodes nodes, PortalNode? node = null)
    {
        var browser = await browsers.GetBrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = nodes.BaseAddress.ToString() });
        if (node is not null)
        {
            await context.AddCookiesAsync([new Cookie
            {
                Name = TwoNodes.AffinityCookie,
                Value = await nodes.AffinityForAsync(node),
                Url = nodes.BaseAddress.ToString(),
            }]);
        }

        return context;
    }

    /// <summary>The name of the node the page's circuit runs on (the layout's portal-node element).</summary>
    public static ILocator CircuitNode(IPage page) => page.GetByTestId("portal-node");

    /// <summary>A merchant signed in through nginx, the page's circuit live, its badge recorded.</summary>
    public static async Task<LivePage> OpenMerchantAsync(IBrowserContext context, string email, string path = "/", Action<IPage>? prepare = null) =>
        await LiveAlertsBrowserTests.OpenAsync(context, email, path, prepare);

    /// <summary>
    /// A merchant's tab in a context whose WebSockets are blocked (as some proxies do), so every
    /// circuit of the context long-polls: many HTTP requests per circuit instead of one socket.
    /// </summary>
    public static async Task<LivePage> OpenLongPollingMerchantAsync(IBrowserContext context, string email, string path = "/", Action<IPage>? prepare = null)
    {
        await context.AddInitScriptAsync(LiveAlertsBrowserTests.BlockWebSocketsScript);
        return await OpenMerchantAsync(context, email, path, prepare);
    }

    /// <summary>The admin's seed page with its circuit live.</summary>
    public static async Task<IPage> OpenSeedPageAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await DashboardBrowserTests.SignInAsync(page, "admin@demo.local");
        await page.GotoAsync("admin/seed");
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        return page;
    }

    /// <summary>Seeds orders from the admin page and waits for its result line.</summary>
    public static async Task SeedAsync(IPage seedPage, string merchant, int count)
    {
        await seedPage.GetByTestId("seed-merchant").SelectOptionAsync(new SelectOptionValue { Label = merchant });
        await seedPage.GetByTestId("seed-count").FillAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await seedPage.GetByTestId("seed-submit").ClickAsync();
        await Assertions.Expect(seedPage.GetByTestId("seed-result")).ToContainTextAsync($"Created {count} order{(count == 1 ? "" : "s")} for {merchant}");
    }
}
