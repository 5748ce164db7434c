using System.Globalization;
using MerchantPortal.Admin;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>The admin pages in Chromium against the real app, with the merchant watching where it matters.</summary>
[Collection(SharedAppTests.Name)]
public sealed class AdminBrowserTests(PortalApp app, BrowserFixture browsers) : IAsyncLifetime
{
    private const float Deadline = 3000;
    private readonly LiveAlertsBrowserTests _live = new(app, browsers);

    public ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(Deadline);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task ABatchSeededByAnAdminReachesTheMerchantsOpenDashboard()
    {
        await using var merchantContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        await using var adminContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var dashboard = await LiveAlertsBrowserTests.OpenAsync(merchantContext, "merchant1@demo.local", "/");
        var seed = await OpenSeedPageAsync(adminContext);
        var before = await _live.NewCountAsync("Demo Shop 1");
        await Assertions.Expect(dashboard.Badge).ToHaveTextAsync(Text(before));

        await seed.GetByTestId("seed-merchant").SelectOptionAsync(new SelectOptionValue { Label = "Demo Shop 1" });
        await seed.GetByTestId("seed-count").FillAsync("3");
        await seed.GetByTestId("seed-submit").ClickAsync();

        await Assertions.Expect(seed.GetByTestId("seed-result")).ToContainTextAsync("Created 3 orders for Demo Shop 1");
        await Assertions.Expect(dashboard.Badge).ToHaveTextAsync(Text(before + 3));
        await Assertions.Expect(dashboard.Toasts).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task BadSeedInputShowsAnErrorAndWritesNothing()
    {
        var closed = await EnsureInactiveMerchantAsync();
        await using var adminContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var seed = await OpenSeedPageAsync(adminContext);
        var select = seed.GetByTestId("seed-merchant");
        await Assertions.Expect(select.Locator("option")).Not.ToContainTextAsync(["Closed Shop"]);
        var before = await OrderCountAsync();

        foreach (var (count, merchantValue, message) in new[]
        {
            ("0", (string?)null, "Count must be from 1 to 1000"),
            ("1001", null, "Count must be from 1 to 1000"),
            ("5", "987654", "Unknown merchant"),
            ("5", closed.ToString(CultureInfo.InvariantCulture), "is inactive"),
        })
        {
            if (merchantValue is not null)
            {
                // A forged option: what a tampered page could send over the circuit.
                await select.EvaluateAsync("(s, v) => { const o = document.createElement('option'); o.value = v; o.text = 'forged ' + v; s.appendChild(o); }", merchantValue);
                await select.SelectOptionAsync(merchantValue);
            }

            await seed.GetByTestId("seed-count").FillAsync(count);
            await seed.GetByTestId("seed-submit").ClickAsync();
            await Assertions.Expect(seed.GetByTestId("seed-error")).ToContainTextAsync(message);
            Assert.Equal(before, await OrderCountAsync());
        }
    }

    [Fact]
    public async Task DoubleClickingSeedCreatesOneBatch()
    {
        await using var adminContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var seed = await OpenSeedPageAsync(adminContext);
        var before = await OrderCountAsync();
        await seed.GetByTestId("seed-count").FillAsync("7");

        await seed.GetByTestId("seed-submit").DblClickAsync();

        await Assertions.Expect(seed.GetByTestId("seed-result")).ToContainTextAsync("Created 7 orders");
        // Give a second batch every chance to land before counting: wait for the activity log.
        await seed.GotoAsync("admin/activity");
        // MudTable cannot put attributes on its rows: rows carry the class instead of a data-testid.
        await Assertions.Expect(seed.Locator("[data-testid=activity-grid] tr.activity-row").First).ToContainTextAsync("7 orders");
        Assert.Equal(before + 7, await OrderCountAsync());
        await using var db = app.Database.CreateDbContext();
        Assert.Equal(1, await db.Activity.CountAsync(e => e.Details.Contains("7 orders"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ATrickleShowsProgressAndCanBeCancelled()
    {
        await using var adminContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var seed = await OpenSeedPageAsync(adminContext);
        await seed.GetByTestId("seed-count").FillAsync("40");
        await seed.GetByTestId("seed-spread").FillAsync("40");

        await seed.GetByTestId("seed-submit").ClickAsync();
        await Assertions.Expect(seed.GetByTestId("seed-progress")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("[1-9][0-9]* of 40 created"));
        await seed.GetByTestId("seed-cancel").ClickAsync();

        await Assertions.Expect(seed.GetByTestId("seed-result")).ToContainTextAsync("cancelled before the rest");
        await Assertions.Expect(seed.GetByTestId("seed-progress")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheSingleOrderFormValidatesAndCreates()
    {
        await using var adminContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var seed = await OpenSeedPageAsync(adminContext);
        var before = await OrderCountAsync();

        foreach (var (customer, total, message) in new[] { ("", "10", "Customer name is required"), ("Ann", "0", "Total must be more than 0"), ("Ann", "250000", "at most 100000") })
        {
            await seed.GetByTestId("order-customer").FillAsync(customer);
            await seed.GetByTestId("order-total").FillAsync(total);
            await seed.GetByTestId("order-submit").ClickAsync();
            await Assertions.Expect(seed.GetByTestId("order-error")).ToContainTextAsync(message);
        }

        Assert.Equal(before, await OrderCountAsync());
        await seed.GetByTestId("order-customer").FillAsync("Ada Lovelace");
        await seed.GetByTestId("order-total").FillAsync("42.50");
        await seed.GetByTestId("order-submit").ClickAsync();
        await Assertions.Expect(seed.GetByTestId("order-result")).ToContainTextAsync("for Ada Lovelace (42.50 EUR)");
        Assert.Equal(before + 1, await OrderCountAsync());
    }

    [Fact]
    public async Task LockingAUserEndsTheirLiveSession()
    {
        await using (var scope = app.Database.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdmin>().CreateMerchantUserAsync("clerk1@test.local", "Clerk!Pass1", "Demo Shop 1", AdminActor.CommandLine, TestContext.Current.CancellationToken);
        }

        await using var clerkContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var clerk = await clerkContext.NewPageAsync();
        await clerk.GotoAsync("Account/Login");
        await clerk.GetByTestId("login-email").FillAsync("clerk1@test.local");
        await clerk.GetByTestId("login-password").FillAsync("Clerk!Pass1");
        await clerk.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(clerk.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });

        await using var adminContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var admin = await adminContext.NewPageAsync();
        await DashboardBrowserTests.SignInAsync(admin, "admin@demo.local");
        await admin.GotoAsync("admin/merchants");
        await Assertions.Expect(admin.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        var row = admin.Locator("tr.user-row").Filter(new LocatorFilterOptions { HasText = "clerk1@test.local" });
        await row.GetByTestId("user-toggle-lock").ClickAsync();
        // Locking asks first: the dialog is reachable and answerable from the keyboard.
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Lock clerk1@test.local?");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Lock", Exact = true }).FocusAsync();
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(row.GetByTestId("user-status")).ToHaveTextAsync("Locked");

        // The app under test re-checks circuits every 2 s; the open tab lands on the login page.
        await Assertions.Expect(clerk).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"), new PageAssertionsToHaveURLOptions { Timeout = 15_000 });
    }

    [Fact]
    public async Task TheCommandLineInAnotherProcessReachesTheOpenDashboard()
    {
        await using var merchantContext = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var dashboard = await LiveAlertsBrowserTests.OpenAsync(merchantContext, "merchant2@demo.local", "/");
        var before = await _live.NewCountAsync("Demo Shop 2");
        await Assertions.Expect(dashboard.Badge).ToHaveTextAsync(Text(before));

        var (exitCode, output) = await PortalApp.RunCommandAsync(app.Database.ConnectionString, "seed-orders", "--merchant", "Demo Shop 2", "--count", "2");

        Assert.True(exitCode == 0, output);
        await Assertions.Expect(dashboard.Badge).ToHaveTextAsync(Text(before + 2));
        await Assertions.Expect(dashboard.Toasts).ToHaveCountAsync(2);
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task EveryAdminPageHasNoSeriousAccessibilityViolations(string scheme)
    {
        // The theme follows the system's preference until the user picks one (the demo admin has not).
        var browser = await browsers.GetBrowserAsync();
        await using var adminContext = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        });
        var page = await adminContext.NewPageAsync();
        await DashboardBrowserTests.SignInAsync(page, "admin@demo.local");
        var failures = new List<string>();

        foreach (var (path, ready) in new[]
        {
            ("/", "[data-testid=admin-merchant-count]"),
            ("admin/merchants", "tr.user-row"),
            ("admin/seed", "[data-testid=seed-merchant] option"),
            ("admin/activity", "[data-testid=activity-grid] tbody tr"),
            ("admin/nodes", "[data-testid=node-row]"),
        })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
            await Assertions.Expect(page.Locator(ready).First).ToBeAttachedAsync();
            await CollectAsync(failures, Accessibility.AssertNoSeriousViolationsAsync(page, $"{path} ({scheme})"));
        }

        // The pages with their validation messages and a confirmation dialog showing.
        await page.GotoAsync("admin/merchants");
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        await page.GetByTestId("user-create").ClickAsync();
        await Assertions.Expect(page.GetByText("E-mail is required.")).ToBeVisibleAsync();
        await CollectAsync(failures, Accessibility.AssertNoSeriousViolationsAsync(page, $"admin/merchants with validation messages ({scheme})"));
        await page.Locator("tr.user-row").Filter(new LocatorFilterOptions { HasText = "merchant2@demo.local" }).GetByTestId("user-delete").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("cannot be undone");
        await CollectAsync(failures, Accessibility.AssertNoSeriousViolationsAsync(page, $"admin/merchants with the delete dialog open ({scheme})"));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Every page is checked, so one run reports all of them, not just the first that fails.</summary>
    private static async Task CollectAsync(List<string> failures, Task check)
    {
        try
        {
            await check;
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            failures.Add(ex.Message);
        }
    }

    private static async Task<IPage> OpenSeedPageAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await DashboardBrowserTests.SignInAsync(page, "admin@demo.local");
        await page.GotoAsync("admin/seed");
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        return page;
    }

    private async Task<int> EnsureInactiveMerchantAsync()
    {
        await using var db = app.Database.CreateDbContext();
        if (await db.Merchants.SingleOrDefaultAsync(m => m.Name == "Closed Shop", TestContext.Current.CancellationToken) is { } existing)
        {
            return existing.Id;
        }

        var admin = app.Database.Services.GetRequiredService<MerchantAdmin>();
        var merchant = await admin.CreateAsync("Closed Shop", AdminActor.CommandLine, TestContext.Current.CancellationToken);
        await admin.SetActiveAsync(merchant.Id, false, AdminActor.CommandLine, TestContext.Current.CancellationToken);
        return merchant.Id;
    }

    private async Task<int> OrderCountAsync()
    {
        await using var db = app.Database.CreateDbContext();
        return await db.Orders.CountAsync(TestContext.Current.CancellationToken);
    }

    private static string Text(int count) => count.ToString(CultureInfo.InvariantCulture);
}
