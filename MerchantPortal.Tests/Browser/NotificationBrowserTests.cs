using System.Globalization;
using MerchantPortal.Admin;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>
/// Background notifications and the armed check in Chromium against the shared app: each test
/// uses a merchant of its own (so other tests' orders never count here), a browser context
/// granted the "notifications" permission, and an init script that records every Notification
/// the page constructs and lets the test hide the page (document.visibilityState), as a tab
/// behind another one would be. Every wait is a polling assertion with a deadline.
/// </summary>
[Collection(SharedAppTests.Name)]
public sealed class NotificationBrowserTests(PortalApp app, BrowserFixture browsers) : IAsyncLifetime
{
    private const string Password = "Alerts!Pass1";

    // Wraps the real constructor (so the browser still shows it) and records what was shown.
    private const string ObserveScript = """
        (() => {
            window.__notifications = [];
            const Real = window.Notification;
            if (Real) {
                window.Notification = class ObservedNotification extends Real {
                    constructor(title, options) {
                        super(title, options);
                        window.__notifications.push({ title, body: options?.body ?? '', tag: options?.tag ?? '', shown: this });
                    }
                };
            }
            let hidden = false;
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
            window.__setHidden = value => { hidden = value; document.dispatchEvent(new Event('visibilitychange')); };
            // Every WebSocket of the page, so the test can cut the circuit's connection.
            // __mute drops what the page sends while the socket stays open: a half-open connection.
            window.__sockets = [];
            window.__mute = false;
            const RealSocket = window.WebSocket;
            window.WebSocket = class TrackedWebSocket extends RealSocket {
                constructor(url, protocols) { super(url, protocols); window.__sockets.push(this); }
                send(data) { if (!window.__mute) { super.send(data); } }
            };
        })();
        """;

    public ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(5000);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AHiddenPageGetsOneNotificationPerNewOrderOneSummaryAboveThreeAndAClickOpensTheOrder()
    {
        var (shop, email) = await NewMerchantAsync();
        await using var context = await NewContextAsync(grantNotifications: true);
        var page = await SignInAsync(context, email);
        await TurnOnNotificationsAsync(page);
        var armed = page.GetByTestId("alerts-armed");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "true");

        // Visible: the toast is enough, no notification.
        await InsertAsync(shop, 1);
        await Assertions.Expect(page.GetByTestId("order-toast")).ToHaveCountAsync(1);
        Assert.Equal(0, await NotificationCountAsync(page));

        await page.EvaluateAsync("window.__setHidden(true)");
        var two = await InsertAsync(shop, 2);
        await Eventually.HoldsAsync(async () => await NotificationCountAsync(page) == 2, "two orders made two notifications");
        var titles = await page.EvaluateAsync<string[]>("window.__notifications.map(n => n.title)");
        Assert.Equal(two.Select(o => $"New order #{o.Number.ToString(CultureInfo.InvariantCulture)}").Order(), titles.Order());
        var tags = await page.EvaluateAsync<string[]>("window.__notifications.map(n => n.tag)");
        Assert.Equal(two.Select(o => $"merchantportal-order-{o.Id}").Order(), tags.Order());

        await InsertAsync(shop, 5);
        await Eventually.HoldsAsync(async () => await NotificationCountAsync(page) == 3, "five orders at once made one summary");
        Assert.Equal("5 new orders", await page.EvaluateAsync<string>("window.__notifications[2].title"));
        // Nothing more arrives afterwards (the summary replaced the five).
        await Assertions.Expect(page.GetByTestId("new-order-badge")).ToHaveTextAsync("8");
        Assert.Equal(3, await NotificationCountAsync(page));

        // A click on an order's notification brings the tab forward on that order.
        var first = two.OrderBy(o => o.Id).First();
        await page.EvaluateAsync("tag => window.__notifications.find(n => n.tag === tag).shown.dispatchEvent(new Event('click'))", $"merchantportal-order-{first.Id}");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/orders/{first.Id}$"));
        await Assertions.Expect(page.GetByTestId("order-details")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WithNotificationsOffAHiddenPageShowsNone()
    {
        var (shop, email) = await NewMerchantAsync();
        await using var context = await NewContextAsync(grantNotifications: true);
        var page = await SignInAsync(context, email);
        await Assertions.Expect(page.GetByTestId("alerts-armed")).ToHaveAttributeAsync("data-armed", "true");
        await page.EvaluateAsync("window.__setHidden(true)");

        await InsertAsync(shop, 2);

        await Assertions.Expect(page.GetByTestId("new-order-badge")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("order-toast")).ToHaveCountAsync(2);
        Assert.Equal(0, await NotificationCountAsync(page));
    }

    [Fact]
    public async Task TestAlertPlaysTheChimeAndShowsANotification()
    {
        var (_, email) = await NewMerchantAsync();
        await using var context = await NewContextAsync(grantNotifications: true);
        var page = await SignInAsync(context, email);
        var armed = page.GetByTestId("alerts-armed");

        await armed.Locator("summary").ClickAsync();
        await Assertions.Expect(page.GetByTestId("alerts-test")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "dashboard with the armed check open");
        await page.GetByTestId("alerts-test").ClickAsync();

        await Assertions.Expect(armed).ToHaveAttributeAsync("data-tests", "1");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-test-notification", "true");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-test-chime", "true");
        Assert.Equal("Test alert", await page.EvaluateAsync<string>("window.__notifications.map(n => n.title).join()"));
    }

    [Fact]
    public async Task ArmedSaysWhatIsMissingFixesSoundInOneClickAndGoesFalseWhileTheWebSocketIsCut()
    {
        var (_, email) = await NewMerchantAsync();
        await using var context = await NewContextAsync(grantNotifications: false);
        var page = await SignInAsync(context, email);
        var armed = page.GetByTestId("alerts-armed");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "true");

        // Sound on: after a reload the browser keeps audio locked until a click in the page.
        await page.GotoAsync("alerts");
        // A click on the prerendered checkbox (before the circuit renders) changes only the DOM.
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        await page.GetByTestId("alert-sound").CheckAsync();
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-want-sound", "true");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-missing", "sound");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "false");
        await armed.Locator("summary").ClickAsync();
        await Assertions.Expect(armed.Locator("[data-reason=sound]")).ToContainTextAsync("until you click");
        await armed.Locator("[data-alerts-fix=sound]").ClickAsync();
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "true");

        // The connection cut: closed, and every reconnection attempt refused until it is back.
        var cut = true;
        await page.RouteAsync("**/_blazor/negotiate**", route => cut ? route.AbortAsync() : route.ContinueAsync());
        await page.EvaluateAsync("window.__sockets.forEach(s => s.close())");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "false");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-missing", "connection");
        await Assertions.Expect(armed.Locator("[data-reason=connection]")).ToContainTextAsync("Not connected");
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "reconnecting");

        cut = false;

        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "live", new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "true");
        await Assertions.Expect(armed.Locator("[data-reason]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ASilentServerBehindAnOpenLookingConnectionIsNotArmedUntilItAnswersAgain()
    {
        var (_, email) = await NewMerchantAsync();
        await using var context = await NewContextAsync(grantNotifications: false);
        var page = await SignInAsync(context, email);
        var armed = page.GetByTestId("alerts-armed");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "true");

        // Nothing the page sends arrives; the pill still says live. Coming back to the front
        // makes the check ask the server at once.
        await page.EvaluateAsync("window.__mute = true; window.__setHidden(true); window.__setHidden(false)");

        await Assertions.Expect(armed).ToHaveAttributeAsync("data-missing", "server", new LocatorAssertionsToHaveAttributeOptions { Timeout = 10_000 });
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "false");
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "live");

        await page.EvaluateAsync("window.__mute = false; window.__setHidden(true); window.__setHidden(false)");

        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 10_000 });
    }

    [Fact]
    public async Task APingThatRacesADroppedConnectionIsNoUncaughtErrorAndCountsAsUnanswered()
    {
        var (_, email) = await NewMerchantAsync();
        await using var context = await NewContextAsync(grantNotifications: false);
        var page = await SignInAsync(context, email);
        var uncaught = new List<string>();
        page.PageError += (_, error) => { lock (uncaught) { uncaught.Add(error); } };
        var armed = page.GetByTestId("alerts-armed");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "true");

        // The moment between the socket closing and the pill saying so, forced: the connection is
        // down and reconnecting is refused, the pill is set back to live, and the page asks the
        // server at once (back in front). blazor.web.js's send is refused by the transport.
        await page.RouteAsync("**/_blazor/negotiate**", route => route.AbortAsync());
        await page.EvaluateAsync("window.__sockets.forEach(s => s.close())");
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "reconnecting");
        var warned = page.WaitForConsoleMessageAsync(new() { Predicate = m => m.Text.Contains("connection is down", StringComparison.Ordinal) });
        await page.EvaluateAsync("""
            document.getElementById('components-reconnect-modal').dataset.state = 'live';
            window.__setHidden(true); window.__setHidden(false);
            """);

        await warned;
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "false");
        lock (uncaught)
        {
            Assert.Empty(uncaught);
        }
    }

    [Fact]
    public async Task OverLongPollingAPingWhoseSendFailsIsNoUncaughtErrorAndCountsAsUnanswered()
    {
        var (_, email) = await NewMerchantAsync();
        await using var context = await NewContextAsync(grantNotifications: false);
        await context.AddInitScriptAsync(LiveAlertsBrowserTests.BlockWebSocketsScript);
        var page = await SignInAsync(context, email);
        var uncaught = new List<string>();
        page.PageError += (_, error) => { lock (uncaught) { uncaught.Add(error); } };
        var armed = page.GetByTestId("alerts-armed");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "true");

        // What the page sends (long polling's POSTs) fails at the network; the polls still come
        // back, so the pill stays live. The page asks the server at once (back in front).
        await page.RouteAsync("**/_blazor?id=**", route => route.Request.Method == "POST" ? route.AbortAsync() : route.ContinueAsync());
        var warned = page.WaitForConsoleMessageAsync(new() { Predicate = m => m.Text.Contains("connection is down", StringComparison.Ordinal) });
        await page.EvaluateAsync("window.__setHidden(true); window.__setHidden(false)");

        await warned;
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "false", new LocatorAssertionsToHaveAttributeOptions { Timeout = 10_000 });
        lock (uncaught)
        {
            Assert.Empty(uncaught);
        }
    }

    [Fact]
    public async Task NotificationsOnWithoutTheBrowsersPermissionIsNotArmedAndSaysHowToFixIt()
    {
        var (_, email) = await NewMerchantAsync();
        await using var context = await NewContextAsync(grantNotifications: false);
        var page = await SignInAsync(context, email);
        var armed = page.GetByTestId("alerts-armed");

        await TurnOnNotificationsAsync(page);

        await Assertions.Expect(armed).ToHaveAttributeAsync("data-missing", "notifications");
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "false");
        await armed.Locator("summary").ClickAsync();
        await Assertions.Expect(armed.Locator("[data-reason=notifications]")).ToContainTextAsync("otifications");

        // Granted (as the browser's prompt would): armed within the check's interval.
        await context.GrantPermissionsAsync(["notifications"]);
        await Assertions.Expect(armed).ToHaveAttributeAsync("data-armed", "true");
    }

    private static async Task TurnOnNotificationsAsync(IPage page)
    {
        await page.GotoAsync("alerts");
        await Assertions.Expect(page.GetByTestId("alert-settings")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        await Accessibility.AssertNoSeriousViolationsAsync(page, "alert settings");
        await page.GetByTestId("alert-notifications").CheckAsync();
        await Assertions.Expect(page.GetByTestId("alerts-armed")).ToHaveAttributeAsync("data-want-notifications", "true");
        await page.GotoAsync("");
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("alerts-armed")).ToHaveAttributeAsync("data-want-notifications", "true");
    }

    private async Task<IBrowserContext> NewContextAsync(bool grantNotifications)
    {
        var browser = await browsers.GetBrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            Permissions = grantNotifications ? ["notifications"] : [],
        });
        await context.AddInitScriptAsync(ObserveScript);
        return context;
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, string email)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("Account/Login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("new-order-badge")).ToHaveTextAsync("0");
        return page;
    }

    /// <summary>A merchant and user of this test alone: no other test's orders reach its tabs.</summary>
    private async Task<(string Shop, string Email)> NewMerchantAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var shop = $"Alerts {id}";
        var email = $"alerts-{id}@test.local";
        await using var scope = app.Database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MerchantAdmin>().CreateAsync(shop, AdminActor.CommandLine, TestContext.Current.CancellationToken);
        await scope.ServiceProvider.GetRequiredService<UserAdmin>().CreateMerchantUserAsync(email, Password, shop, AdminActor.CommandLine, TestContext.Current.CancellationToken);
        return (shop, email);
    }

    private async Task<List<MerchantPortal.Data.Orders.Order>> InsertAsync(string shop, int count)
    {
        await using var db = app.Database.CreateDbContext();
        return await TestOrders.InsertAsync(db, shop, count);
    }

    private static Task<int> NotificationCountAsync(IPage page) => page.EvaluateAsync<int>("window.__notifications.length");
}
