using MerchantPortal.Security;
using MerchantPortal.Tests.Browser;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Security;

/// <summary>
/// The portal in Chromium under its own Content-Security-Policy. Every browser test runs under it
/// (FailOnCspViolations); these check the pieces the policy is most likely to break, and that the
/// watcher itself sees a violation.
/// </summary>
public sealed class ContentSecurityPolicyBrowserTests(PortalApp app, BrowserFixture browsers)
{
    [Fact]
    public async Task TheCircuitRunsOverAWebSocketUnderThePolicy()
    {
        var browser = await browsers.GetBrowserAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var socket = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, ws) => socket.TrySetResult(ws.Url);

        var login = await page.GotoAsync("Account/Login");
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, await login!.HeaderValueAsync("content-security-policy"));
        await DashboardBrowserTests.SignInAsync(page, "merchant1@demo.local");

        // connect-src 'self' must cover the same-origin ws: of the circuit, or Blazor would quietly
        // fall back to long polling.
        Assert.StartsWith("ws://127.0.0.1", await socket.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        // MudBlazor's grid, menus and inline styles; the theme stylesheet; the JS modules.
        await page.GotoAsync("orders");
        await Assertions.Expect(page.GetByTestId("orders-grid").GetByTestId("order-row").First).ToBeVisibleAsync();
        Assert.Empty(CspViolations.Since(DateTime.MinValue, app.BaseAddress.ToString()));
    }

    [Fact]
    public async Task TheWatcherReportsAnInlineScriptThePolicyRefused()
    {
        var started = DateTime.UtcNow;
        var browser = await browsers.GetBrowserAsync();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        // Not a portal address, so FailOnCspViolations leaves this deliberate violation alone.
        const string Origin = "http://csp-selftest.invalid/";
        await page.RouteAsync(Origin, route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Headers = new Dictionary<string, string> { ["Content-Security-Policy"] = SecurityHeaders.ContentSecurityPolicy },
            Body = "<!DOCTYPE html><html><body><p>self-test</p><script>document.title = 'ran';</script></body></html>",
        }));

        await page.GotoAsync(Origin);

        await Eventually.HoldsAsync(() => CspViolations.Since(started, Origin).Count >= 2, "the watcher saw no CSP violation on a page with an inline script");
        var seen = CspViolations.Since(started, Origin);
        Assert.Contains(seen, v => v.Contains("inline script violates the following Content Security Policy directive 'script-src 'self''", StringComparison.Ordinal));
        Assert.Contains(seen, v => v.Contains(CspViolations.Prefix + " script-src-elem blocked inline", StringComparison.Ordinal));
        Assert.NotEqual("ran", await page.TitleAsync());
    }
}
