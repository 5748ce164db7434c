using System.Globalization;
using MerchantPortal.Data.Orders;
using MerchantPortal.Data.Users;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>
/// The layout (MudBlazor's classes on plain markup, drawer state in CSS and a few lines of JS)
/// in Chromium: drawer at desktop and phone widths, menu marking, admin menu, title, theme,
/// keyboard, and axe-core on the pages every user sees, light and dark.
/// </summary>
[Collection(SharedAppTests.Name)]
public sealed class LayoutBrowserTests(PortalApp app, BrowserFixture browsers) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task OnADesktopTheDrawerIsPersistentAndTheMenuButtonClosesAndReopensIt()
    {
        var page = await OpenAsync("merchant1@demo.local", 1280);
        var button = page.Locator("#portal-nav-button");

        await ExpectDrawerAsync(page, open: true);
        await ExpectContentOffsetAsync(page, 240);
        await button.ClickAsync();
        await ExpectDrawerAsync(page, open: false);
        await ExpectContentOffsetAsync(page, 0);
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
        await button.ClickAsync();
        await ExpectDrawerAsync(page, open: true);
        await ExpectContentOffsetAsync(page, 240);
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
    }

    [Fact]
    public async Task OnAPhoneTheDrawerIsHiddenAndOpensAsAnOverlayThatClosesAfterALink()
    {
        var page = await OpenAsync("merchant1@demo.local", 390);
        var button = page.Locator("#portal-nav-button");

        await ExpectDrawerAsync(page, open: false);
        await button.ClickAsync();
        await ExpectDrawerAsync(page, open: true);
        // An overlay: the page does not move aside, a scrim covers it.
        await ExpectContentOffsetAsync(page, 0);
        await Assertions.Expect(page.Locator(".portal-scrim")).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Escape");
        await ExpectDrawerAsync(page, open: false);
        await Assertions.Expect(page.Locator(".portal-scrim")).ToBeHiddenAsync();

        await button.ClickAsync();
        await Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Orders" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/orders");
        await ExpectDrawerAsync(page, open: false);
    }

    [Fact]
    public async Task MenuMarksTheCurrentPageAndFollowsNavigation()
    {
        var page = await OpenAsync("merchant1@demo.local", 1280);
        var dashboard = Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Dashboard" });
        var orders = Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Orders" });

        await Assertions.Expect(dashboard).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(orders).Not.ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Merchants" })).ToHaveCountAsync(0);
        await Assertions.Expect(Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Change password" })).ToBeVisibleAsync();

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

        await Assertions.Expect(page.Locator(".portal-title")).ToHaveTextAsync("MerchantPortal admin");
        await Assertions.Expect(page).ToHaveTitleAsync("Dashboard · MerchantPortal");
        await Assertions.Expect(Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Seed orders" })).ToBeVisibleAsync();
        await Assertions.Expect(Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Activity" })).ToBeVisibleAsync();
        await Assertions.Expect(Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Orders", Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("new-order-badge")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("sound-toggle")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("theme-toggle")).ToBeVisibleAsync();

        await Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Merchants" }).ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/admin/merchants");
        await Assertions.Expect(Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Merchants" })).ToHaveAttributeAsync("aria-current", "page");
    }

    [Fact]
    public async Task TheTabTitleCountsTheMerchantsNewOrders()
    {
        var page = await OpenAsync("merchant2@demo.local", 1280);
        await using var db = app.Database.CreateDbContext();
        var count = await db.Orders.CountAsync(o => o.Merchant!.Name == "Demo Shop 2" && o.Status == OrderStatus.New, TestContext.Current.CancellationToken);

        await Assertions.Expect(page.GetByTestId("new-order-badge")).ToHaveTextAsync(count.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page).ToHaveTitleAsync(count > 0 ? $"({count}) MerchantPortal" : "Dashboard · MerchantPortal");
    }

    [Fact]
    public async Task TheThemeFollowsTheSystemUntilTheUserPicksOneAndTheStoredChoiceWinsInAnyBrowser()
    {
        const string email = "merchant2@demo.local";
        try
        {
            var darkSystem = await OpenAsync(email, 1280, ColorScheme.Dark);
            await Assertions.Expect(darkSystem.Locator("html")).Not.ToHaveAttributeAsync("data-theme", new System.Text.RegularExpressions.Regex(".*"));
            Assert.True(await IsDarkAsync(darkSystem), "With no stored choice the page follows the system's dark preference.");
            var lightSystem = await OpenAsync(email, 1280, ColorScheme.Light);
            Assert.False(await IsDarkAsync(lightSystem), "With no stored choice the page follows the system's light preference.");

            // The user picks light on the dark system: it shows at once, and is stored.
            await darkSystem.GetByTestId("theme-toggle").ClickAsync();
            await Assertions.Expect(darkSystem.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
            Assert.False(await IsDarkAsync(darkSystem));
            await WaitForStoredThemeAsync(email, ThemeChoice.Light);

            // Another browser on a dark system opens in the stored choice, from the first HTML on.
            var otherBrowser = await OpenAsync(email, 1280, ColorScheme.Dark);
            await Assertions.Expect(otherBrowser.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
            Assert.False(await IsDarkAsync(otherBrowser));

            // And back to dark, on a light system.
            await lightSystem.ReloadAsync();
            // Until the new circuit runs, the prerendered button has no handler: wait for it.
            await Assertions.Expect(lightSystem.Locator("[data-circuit=live]")).ToHaveCountAsync(1);
            await lightSystem.GetByTestId("theme-toggle").ClickAsync();
            await Assertions.Expect(lightSystem.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
            Assert.True(await IsDarkAsync(lightSystem));
            await WaitForStoredThemeAsync(email, ThemeChoice.Dark);
        }
        finally
        {
            await using var db = app.Database.CreateDbContext();
            await db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(set => set.SetProperty(u => u.Theme, ThemeChoice.System), TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task EveryAppBarControlIsReachableWithTheKeyboard()
    {
        var page = await OpenAsync("merchant1@demo.local", 1280);
        string[] wanted = ["portal-nav-button", "new-orders", "sound-toggle", "theme-toggle", "user-menu"];
        var reached = new HashSet<string>();

        for (var press = 0; press < 30 && reached.Count < wanted.Length; press++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string?>("""
                (() => { const e = document.activeElement;
                  if (!e) return null;
                  if (e.id === 'portal-nav-button') return 'portal-nav-button';
                  if (e.classList.contains('portal-new-orders')) return 'new-orders';
                  if (e.dataset.testid === 'sound-toggle' || e.dataset.testid === 'theme-toggle') return e.dataset.testid;
                  if (e.closest('details.portal-user-menu')) return 'user-menu';
                  return null; })()
                """);
            if (focused is not null)
            {
                reached.Add(focused);
            }
        }

        Assert.Equal(wanted.Order(), reached.Order());
        // The user menu opens from the keyboard and offers sign-out.
        await page.Locator("details.portal-user-menu summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("sign-out")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByTestId("sign-out")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task SigningOutFromTheUserMenuEndsTheSession()
    {
        var page = await OpenAsync("merchant2@demo.local", 1280);

        await page.Locator("details.portal-user-menu summary").ClickAsync();
        await page.GetByTestId("sign-out").ClickAsync();

        // The circuit-rendered form carries a valid antiforgery token: the POST signs out.
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
        await page.GotoAsync("/");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task LoginDashboardAndNotFoundHaveNoSeriousAccessibilityViolations(string scheme)
    {
        var colorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light;
        var anonymous = await NewPageAsync(1280, colorScheme);
        await anonymous.GotoAsync("Account/Login");
        await Accessibility.AssertNoSeriousViolationsAsync(anonymous, $"login ({scheme})");
        await anonymous.GetByTestId("login-email").FillAsync("nobody@demo.local");
        await anonymous.GetByTestId("login-password").FillAsync("wrong");
        await anonymous.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(anonymous.GetByTestId("login-error")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(anonymous, $"login with an error ({scheme})");

        var page = await OpenAsync("merchant1@demo.local", 1280, colorScheme);
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"dashboard ({scheme})");
        await page.Locator("details.portal-user-menu summary").ClickAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"dashboard with the user menu open ({scheme})");

        await page.GotoAsync("no-such-page");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"not found ({scheme})");

        var phone = await OpenAsync("merchant1@demo.local", 390, colorScheme);
        await phone.Locator("#portal-nav-button").ClickAsync();
        await ExpectDrawerAsync(phone, open: true);
        await Accessibility.AssertNoSeriousViolationsAsync(phone, $"dashboard on a phone with the drawer open ({scheme})");
    }

    private static ILocator Drawer(IPage page) => page.Locator("#portal-drawer");

    private async Task<IPage> NewPageAsync(int viewportWidth, ColorScheme colorScheme = ColorScheme.Light)
    {
        var browser = await browsers.GetBrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = viewportWidth, Height = 800 },
            ColorScheme = colorScheme,
        });
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    private async Task<IPage> OpenAsync(string email, int viewportWidth, ColorScheme colorScheme = ColorScheme.Light)
    {
        var page = await NewPageAsync(viewportWidth, colorScheme);
        await DashboardBrowserTests.SignInAsync(page, email);
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1);
        return page;
    }

    // Open: on screen and its links visible. Closed: off screen and hidden (out of the tab order).
    private static async Task ExpectDrawerAsync(IPage page, bool open)
    {
        var link = Drawer(page).GetByRole(AriaRole.Link, new() { Name = "Dashboard" });
        if (open)
        {
            await Assertions.Expect(link).ToBeVisibleAsync();
            await page.WaitForFunctionAsync("() => document.getElementById('portal-drawer').getBoundingClientRect().left >= 0");
        }
        else
        {
            await Assertions.Expect(link).ToBeHiddenAsync();
            await page.WaitForFunctionAsync("() => document.getElementById('portal-drawer').getBoundingClientRect().right <= 0");
        }
    }

    private static async Task ExpectContentOffsetAsync(IPage page, int left) =>
        await page.WaitForFunctionAsync("left => Math.round(document.querySelector('main.portal-main').getBoundingClientRect().left) === left", left);

    // The page's background as the theme paints it: dark when its luminance is low.
    private static async Task<bool> IsDarkAsync(IPage page) =>
        await page.EvaluateAsync<bool>("""
            (() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
              return (0.2126 * r + 0.7152 * g + 0.0722 * b) < 128; })()
            """);

    private async Task WaitForStoredThemeAsync(string email, ThemeChoice expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var db = app.Database.CreateDbContext();
            var stored = await db.Users.Where(u => u.Email == email).Select(u => u.Theme).SingleAsync(TestContext.Current.CancellationToken);
            if (stored == expected)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The stored theme is {stored}, expected {expected}.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
