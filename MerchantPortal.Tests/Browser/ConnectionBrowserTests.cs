using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MerchantPortal.Data.Orders;
using MerchantPortal.Data.Users;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>
/// The connection pill and a dashboard that never gives up (js/reconnect.js). Each test runs its
/// own app process on its own SQLite file and port, since these tests cut or stop the server.
/// </summary>
public sealed class ConnectionBrowserTests(BrowserFixture browsers)
{
    [Fact]
    public async Task WhenBlazorsTrafficIsCutThePillSaysReconnectingThenLiveAndTheBadgeEqualsTheDatabase()
    {
        await using var app = await OwnApp.StartAsync();
        await using var tab = await Dashboard.OpenAsync(browsers, app, blockWebSockets: true);
        // Over long polling every exchange is a fresh request, which the test can cut off.
        await tab.ExpectPillAsync("Live");

        // The network to /_blazor fails from now on: the poll in flight completes with the first
        // order, the next one fails, and the circuit's connection is down.
        await tab.Context.RouteAsync("**/_blazor**", route => route.AbortAsync());
        await app.InsertAsync(1);
        await tab.ExpectPillAsync("Reconnecting…");
        await app.InsertAsync(2); // written while the tab is disconnected
        await tab.Context.UnrouteAllAsync();

        await tab.ExpectPillAsync("Live");
        await tab.ExpectBadgeAsync(await app.NewCountAsync());
        Assert.True(await tab.IsSamePageAsync(), "a cut that the circuit survives needs no reload");
        tab.AssertNoScriptErrors();
    }

    [Fact]
    public async Task WithWebSocketsBlockedLongPollingCarriesTheUpdatesBeforeAndAfterARestart()
    {
        await using var app = await OwnApp.StartAsync();
        await using var tab = await Dashboard.OpenAsync(browsers, app, blockWebSockets: true);
        var written = DateTime.UtcNow;

        await app.InsertAsync(1);

        await tab.ExpectBadgeAsync(await app.NewCountAsync());
        Assert.Contains(tab.Polls, p => p.Method == "GET" && p.At >= written);

        await tab.OutageAsync(app, TimeSpan.FromSeconds(5));
        var afterRestart = DateTime.UtcNow;
        await app.InsertAsync(2);

        await tab.ExpectBadgeAsync(await app.NewCountAsync());
        Assert.Contains(tab.Polls, p => p.Method == "GET" && p.At >= afterRestart);
        tab.AssertNoScriptErrors();
    }

    [Fact]
    public async Task AfterTheServerWasDownThirtySecondsTheDashboardShowsNewOrdersWithoutAClick()
    {
        await using var app = await OwnApp.StartAsync();
        await using var tab = await Dashboard.OpenAsync(browsers, app);

        await tab.OutageAsync(app, TimeSpan.FromSeconds(30));
        await app.InsertAsync(2);

        await tab.ExpectBadgeAsync(await app.NewCountAsync());
        await Assertions.Expect(tab.Page.GetByTestId("order-toast")).ToHaveCountAsync(2, new() { Timeout = Dashboard.LiveDeadlineMs });
        tab.AssertNoScriptErrors();
    }
}

/// <summary>The three-minute outage has a class of its own so it runs beside the others.</summary>
public sealed class LongOutageBrowserTests(BrowserFixture browsers)
{
    [Fact]
    public async Task AfterTheServerWasDownThreeMinutesTheDashboardShowsNewOrdersWithoutAClick()
    {
        await using var app = await OwnApp.StartAsync();
        await using var tab = await Dashboard.OpenAsync(browsers, app);

        await tab.OutageAsync(app, TimeSpan.FromMinutes(3));
        await app.InsertAsync(2);

        await tab.ExpectBadgeAsync(await app.NewCountAsync());
        tab.AssertNoScriptErrors();
    }
}

/// <summary>Uses the shared app: nothing here stops it.</summary>
[Collection(SharedAppTests.Name)]
public sealed class SoundChoiceBrowserTests(PortalApp app, BrowserFixture browsers)
{
    [Fact]
    public async Task TheSoundChoiceIsRememberedForTheUser()
    {
        await using var context = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var tab = await LiveAlertsBrowserTests.OpenAsync(context, "merchant2@demo.local", "/");
        var toggle = tab.Page.GetByTestId("sound-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");

        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");

        // Another browser, same user: the choice follows the account, not the device.
        await using var elsewhere = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var other = await LiveAlertsBrowserTests.OpenAsync(elsewhere, "merchant2@demo.local", "/");
        await Assertions.Expect(other.Page.GetByTestId("sound-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await using (var scope = app.Database.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            Assert.True((await users.FindByEmailAsync("merchant2@demo.local"))!.SoundAlerts);
        }

        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
    }
}

/// <summary>
/// An app process of the test's own, on its own SQLite file and port, that the test can stop and
/// start again on the same port and database, as a deploy or a crash does.
/// </summary>
internal sealed class OwnApp : IAsyncDisposable
{
    public const string Shop = "Demo Shop 1";

    private readonly StringBuilder _output = new();
    private Process? _process;

    private OwnApp()
    {
    }

    public TestDatabase Database { get; } = new();

    public Uri BaseAddress { get; } = AppProcess.FreeLoopbackAddress();

    public string Output => AppProcess.Read(_output);

    public static async Task<OwnApp> StartAsync()
    {
        var app = new OwnApp();
        await app.StartAgainAsync();
        return app;
    }

    public async Task StartAgainAsync()
    {
        _process = AppProcess.Start(Database.ConnectionString, ["--urls", BaseAddress.ToString().TrimEnd('/')], _output);
        await AppProcess.WaitUntilServingAsync(_process, BaseAddress, _output);
    }

    /// <summary>Kills the process: open connections drop at once, as in a crash or a hard deploy.</summary>
    public async Task StopAsync()
    {
        await AppProcess.StopAsync(_process);
        _process = null;
    }

    /// <summary>Writes orders straight into the database, as any other process would.</summary>
    public async Task InsertAsync(int count)
    {
        await using var db = Database.CreateDbContext();
        await TestOrders.InsertAsync(db, Shop, count);
    }

    public async Task<int> NewCountAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.Orders.CountAsync(o => o.Merchant!.Name == Shop && o.Status == OrderStatus.New, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// merchant1's dashboard in a browser context of its own, with every script error and console
/// error of the page recorded (across reloads: the page object stays the same).
/// </summary>
internal sealed class Dashboard : IAsyncDisposable
{
    /// <summary>
    /// From the server's return to a live page: the longest backoff wait (30 s), a reload and a
    /// new circuit, with room for a busy machine.
    /// </summary>
    public const float LiveDeadlineMs = 75_000;

    // What SignalR's and Blazor's own loggers write with console.error while the server cannot
    // be reached: the outage itself, reported. Any other console.error, or an uncaught error, is
    // a defect. (The browser's own network log lines, "Failed to load resource: ...", are not
    // script errors and are not recorded: see the Console handler.)
    private static readonly Regex ExpectedTransportError = new(
        "Failed to complete negotiation with the server|Failed to start the connection|Connection disconnected with error|"
        + "Failed to start the transport 'WebSockets'",
        RegexOptions.CultureInvariant);

    private readonly List<string> _consoleErrors = [];
    private readonly List<(string Method, DateTime At)> _polls = [];
    private readonly List<string> _pageErrors = [];

    private Dashboard(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // A console.error call has arguments; the browser's own log lines (network failures)
            // have none.
            if (message.Type == "error" && message.Args.Count > 0)
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_pageErrors)
            {
                _pageErrors.Add(error);
            }
        };
        page.RequestFinished += (_, request) =>
        {
            if (request.Url.Contains("/_blazor?id=", StringComparison.Ordinal))
            {
                lock (_polls)
                {
                    _polls.Add((request.Method, DateTime.UtcNow));
                }
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>
    /// Long-polling exchanges (and WebSocket handshakes) with the circuit's hub so far: a copy, because
    /// the browser keeps adding to the list while a test reads it.
    /// </summary>
    public IReadOnlyList<(string Method, DateTime At)> Polls
    {
        get
        {
            lock (_polls)
            {
                return [.. _polls];
            }
        }
    }

    public ILocator Pill => Page.GetByTestId("connection-status");

    public static async Task<Dashboard> OpenAsync(BrowserFixture browsers, OwnApp app, bool blockWebSockets = false)
    {
        var browser = await browsers.GetBrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        if (blockWebSockets)
        {
            await context.AddInitScriptAsync(LiveAlertsBrowserTests.BlockWebSocketsScript);
        }

        var dashboard = new Dashboard(context, await context.NewPageAsync());
        await DashboardBrowserTests.SignInAsync(dashboard.Page, "merchant1@demo.local");
        await Assertions.Expect(dashboard.Page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await dashboard.ExpectBadgeAsync(await app.NewCountAsync());
        // Gone after a reload: tells a recovered circuit from a new page.
        await dashboard.Page.EvaluateAsync("window.__beforeOutage = true");
        return dashboard;
    }

    public async Task ExpectPillAsync(string text) =>
        await Assertions.Expect(Pill).ToHaveTextAsync(text, new() { UseInnerText = true, Timeout = LiveDeadlineMs });

    public async Task ExpectBadgeAsync(int count) =>
        await Assertions.Expect(Page.GetByTestId("new-order-badge")).ToHaveTextAsync(
            count.ToString(CultureInfo.InvariantCulture), new() { Timeout = LiveDeadlineMs });

    public async Task<bool> IsSamePageAsync() => await Page.EvaluateAsync<bool>("window.__beforeOutage === true");

    /// <summary>
    /// Stops the server for <paramref name="down"/> (an order is written meanwhile), starts it
    /// again, and expects the page to come back live on the dashboard by itself: a new process
    /// does not know the old circuit, so the page must have reloaded into a new one.
    /// </summary>
    public async Task OutageAsync(OwnApp app, TimeSpan down)
    {
        var outage = Stopwatch.StartNew();
        await app.StopAsync();
        await ExpectPillAsync("Reconnecting…");
        await app.InsertAsync(1);
        var left = down - outage.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, TestContext.Current.CancellationToken); // the outage is the scenario, not a wait for an assertion
        }

        await app.StartAgainAsync();

        await ExpectPillAsync("Live");
        await ExpectBadgeAsync(await app.NewCountAsync());
        Assert.False(await IsSamePageAsync(), "after a restart the old circuit is gone: the page must have reloaded");
        Assert.Equal("/", new Uri(Page.Url).AbsolutePath);
        await Assertions.Expect(Page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = LiveDeadlineMs });
    }

    public void AssertNoScriptErrors()
    {
        lock (_pageErrors)
        {
            Assert.True(_pageErrors.Count == 0, "Uncaught script errors:\n" + string.Join("\n", _pageErrors));
        }

        lock (_consoleErrors)
        {
            var unexpected = _consoleErrors.Where(e => !ExpectedTransportError.IsMatch(e)).ToList();
            Assert.True(unexpected.Count == 0, "console.error other than the transport's own reports:\n" + string.Join("\n", unexpected));
        }
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
