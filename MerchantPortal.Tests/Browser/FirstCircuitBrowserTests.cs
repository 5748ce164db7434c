using MerchantPortal.Admin;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>
/// A page's first circuit start (js/reconnect.js): a slow one is waited for, one that failed for good
/// reloads the page at once. The server is the shared app; the browser's routing holds or fails the
/// start, and Playwright's clock stands in for the minute a slow start would take.
/// </summary>
[Collection(SharedAppTests.Name)]
public sealed class FirstCircuitBrowserTests(PortalApp app, BrowserFixture browsers)
{
    private const string Negotiate = "**/_blazor/negotiate**";

    private static readonly AdminActor Actor = new("first-circuit-tests", null);

    [Fact]
    public async Task AFirstCircuitStartSlowerThanThirtySecondsIsWaitedForNotReloaded()
    {
        await using var context = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var page = await context.NewPageAsync();
        var dashboards = CountDashboardLoads(page);
        await page.Clock.InstallAsync();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(Negotiate, async route =>
        {
            held.TrySetResult();
            await release.Task;
            await route.ContinueAsync();
        });

        await DashboardBrowserTests.SignInAsync(page, await NewMerchantAsync());
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        // A minute on the page's clock with the negotiation still open: twice the deadline after
        // which the page used to reload (and start its circuit again from the back of the queue).
        await page.Clock.FastForwardAsync("01:00");
        release.SetResult();

        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "live");
        Assert.Equal(1, dashboards.Count);
    }

    [Fact]
    public async Task AFirstCircuitStartThatFailedReloadsThePageAtOnceWhenTheServerAnswers()
    {
        await using var context = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var page = await context.NewPageAsync();
        var dashboards = CountDashboardLoads(page);
        var uncaught = new List<string>();
        page.PageError += (_, error) => { lock (uncaught) { uncaught.Add(error); } };
        var negotiations = 0;
        // The first page's negotiation fails as it does when the server has gone away.
        await page.RouteAsync(Negotiate, route => Interlocked.Increment(ref negotiations) == 1 ? route.AbortAsync() : route.ContinueAsync());

        await DashboardBrowserTests.SignInAsync(page, await NewMerchantAsync());

        // Well before the 30 s after which the page used to reload.
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "live");
        Assert.Equal(2, dashboards.Count);
        Assert.Equal(2, Volatile.Read(ref negotiations));
        lock (uncaught)
        {
            Assert.Empty(uncaught);
        }
    }

    [Fact]
    public async Task AFirstCircuitStartWhoseHandshakeTheHubRefusedReloadsThePageAtOnce()
    {
        await using var context = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var page = await context.NewPageAsync();
        var dashboards = CountDashboardLoads(page);
        var sockets = 0;
        // The first circuit's socket gets what a server too busy to read the handshake within its
        // handshake timeout answers: blazor.web.js gives the start up without an exception.
        await page.RouteWebSocketAsync("**/_blazor?id=**", ws =>
        {
            if (Interlocked.Increment(ref sockets) > 1)
            {
                ws.ConnectToServer();
                return;
            }

            ws.OnMessage(frame =>
            {
                ws.Send("{\"error\":\"Handshake was canceled.\"}\u001e");
                _ = ws.CloseAsync();
            });
        });

        await DashboardBrowserTests.SignInAsync(page, await NewMerchantAsync());

        // Well before the 30 s after which the page used to reload.
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        Assert.Equal(2, dashboards.Count);
        Assert.Equal(2, Volatile.Read(ref sockets));
    }

    /// <summary>Loads of the dashboard in the page's main frame, reloads included.</summary>
    private static LoadCounter CountDashboardLoads(IPage page)
    {
        var counter = new LoadCounter();
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame && new Uri(frame.Url).AbsolutePath == "/")
            {
                counter.Add();
            }
        };
        return counter;
    }

    /// <summary>A merchant of this test's own, so the shared app's demo users keep their circuit budget.</summary>
    private async Task<string> NewMerchantAsync()
    {
        var name = $"First {Guid.NewGuid():N}"[..20];
        var email = $"{name.Replace(' ', '-').ToLowerInvariant()}@test.local";
        await app.Database.Services.GetRequiredService<MerchantAdmin>().CreateAsync(name, Actor, TestContext.Current.CancellationToken);
        await app.Database.Services.GetRequiredService<UserAdmin>().CreateMerchantUserAsync(email, PortalSignIn.DemoPassword, name, Actor, TestContext.Current.CancellationToken);
        return email;
    }

    private sealed class LoadCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }
}
