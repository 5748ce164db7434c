using System.Diagnostics;
using System.Globalization;
using MerchantPortal.Tests.Browser;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.MultiNode;

/// <summary>
/// Browsers whose WebSockets are blocked (as some proxies do) fall back to long polling: many
/// separate HTTP requests per circuit, each of which nginx must send to the node holding it, and
/// one request held open all the time per tab. One tab, placed by nginx alone (no affinity cookie
/// of the test's, as a real one is): every circuit request reaches its node.
/// Eight tabs of one merchant in one browser: over HTTP/1.1 Chromium opens at most 6 connections
/// per host, so 8 polling tabs cannot all be served at once; over HTTP/2 (nginx with TLS) all
/// requests share one connection as streams. The HTTP/1.1 test reports the behaviour with its
/// figures and checks only that the tabs really were on HTTP/1.1: whether tabs 7 and 8 stall
/// depends on timing (a held poll frees its connection whenever data flows), so a run may see all
/// eight live (CI did, in 2.4 s) or two never starting (an earlier run did); RELIABILITY.md keeps
/// both. The HTTP/2 test is the fix: through nginx's HTTPS server of
/// deploy/nginx/merchantportal.conf every tab stays live and shows a new order within 3 s, every run.
/// </summary>
[Collection(MultiNodeTests.Name)]
public sealed class LongPollingTests(TwoNodes nodes, BrowserFixture browsers)
{
    private const int TabCount = 8;
    private const string Merchant = "Demo Shop 2";
    private const string Email = "merchant2@demo.local";
    private const float OneTabDeadline = 3000;
    private static readonly TimeSpan BadgeDeadline = TimeSpan.FromSeconds(3);

    /// <summary>How long the tabs get to start their circuits; generous, so "not live" means stalled, not slow.</summary>
    private static readonly TimeSpan LiveDeadline = TimeSpan.FromSeconds(20);

    /// <summary>How long a badge is watched after the order, to tell "late" from "never".</summary>
    private static readonly TimeSpan WatchDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WithWebSocketsBlockedLongPollingThroughNginxStaysLiveAndEveryCircuitRequestReachesOneNode()
    {
        Assertions.SetDefaultExpectTimeout(OneTabDeadline);
        await using var context = await NodeTabs.ContextAsync(browsers, nodes);
        var circuitResponses = new List<(string Method, string Url, int Status, string? Node, DateTime At)>();
        var tab = await NodeTabs.OpenLongPollingMerchantAsync(context, Email, "/", page =>
            page.Response += (_, response) =>
            {
                if (new Uri(response.Url).AbsolutePath.StartsWith("/_blazor", StringComparison.Ordinal))
                {
                    lock (circuitResponses)
                    {
                        circuitResponses.Add((response.Request.Method, response.Url, response.Status,
                            response.Headers.TryGetValue("x-portal-node", out var node) ? node : null, DateTime.UtcNow));
                    }
                }
            });
        var node = await NodeTabs.CircuitNode(tab.Page).InnerTextAsync();
        Assert.Contains(node, nodes.Nodes.Select(n => n.Name));
        var before = await nodes.NewCountAsync(Merchant);
        await Assertions.Expect(tab.Badge).ToHaveTextAsync(Text(before));
        var written = DateTime.UtcNow;

        await nodes.InsertOrderAsync(Merchant, "Long-polled through nginx");

        await Assertions.Expect(tab.Badge).ToHaveTextAsync(Text(before + 1));
        await Assertions.Expect(tab.Toasts.Filter(new() { HasText = "Long-polled through nginx" })).ToHaveCountAsync(1);
        await Assertions.Expect(NodeTabs.CircuitNode(tab.Page)).ToHaveTextAsync(node);
        List<(string Method, string Url, int Status, string? Node, DateTime At)> seen;
        lock (circuitResponses)
        {
            seen = [.. circuitResponses];
        }

        var summary = string.Join("\n", seen.Select(r => $"{r.Method} {r.Url} {r.Status} {r.Node}"));
        // Long polling, not a WebSocket: the negotiation, then GETs the node answered after the write.
        Assert.Contains(seen, r => r.Url.Contains("/_blazor/negotiate", StringComparison.Ordinal));
        Assert.Contains(seen, r => r.Method == "GET" && r.Url.Contains("/_blazor?id=", StringComparison.Ordinal) && r.At >= written);
        Assert.Contains(seen, r => r.Method == "POST" && r.Url.Contains("/_blazor?id=", StringComparison.Ordinal));
        // Every one of them answered by the circuit's node, and none refused (a poll reaching the
        // other node would get 404: it does not know the connection).
        Assert.True(seen.All(r => r.Node == node && r.Status is >= 200 and < 300), $"Circuit requests not all answered by {node}:\n{summary}");
    }

    [Fact]
    public async Task OverHttp11OnKestrelEightLongPollingTabsShareChromiumsSixConnectionsAndTheFiguresAreReported()
    {
        var browser = await browsers.GetBrowserAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = nodes.A.BaseAddress.ToString() });
        var figures = await OpenTabsAndWriteAnOrderAsync(context);

        Report("Kestrel, HTTP/1.1", figures);
        Assert.Equal(TabCount, figures.Protocols.Count);
        Assert.All(figures.Protocols, p => Assert.Equal("http/1.1", p));
    }

    [Fact]
    public async Task OverHttp2ThroughNginxWithTlsAllEightLongPollingTabsStayLiveAndShowTheOrderWithinThreeSeconds()
    {
        var browser = await browsers.GetBrowserAsync();
        // The certificate is the test's own, self-signed for 127.0.0.1.
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = nodes.Nginx.TlsBaseAddress.ToString(),
            IgnoreHTTPSErrors = true,
        });
        var figures = await OpenTabsAndWriteAnOrderAsync(context);

        Report("nginx, HTTPS, HTTP/2", figures);
        Assert.All(figures.Protocols, p => Assert.Equal("h2", p));
        Assert.True(figures.Live.All(t => t is not null), $"Not every tab went live:\n{Describe(figures)}\n{nodes.Output}");
        Assert.True(figures.Badge.All(t => t <= BadgeDeadline), $"Not every tab showed the order within {BadgeDeadline.TotalSeconds:F0} s:\n{Describe(figures)}");
    }

    /// <summary>
    /// Signs in and opens the first tab, opens the other seven at once, waits for their circuits,
    /// then writes one order and times every tab's badge.
    /// </summary>
    private async Task<TabFigures> OpenTabsAndWriteAnOrderAsync(IBrowserContext context)
    {
        var first = await NodeTabs.OpenLongPollingMerchantAsync(context, Email);
        var pages = new List<IPage> { first.Page };
        var clock = Stopwatch.StartNew();
        for (var i = 1; i < TabCount; i++)
        {
            pages.Add(await context.NewPageAsync());
        }

        // Not awaited one by one: a stalled tab must not hold up the others' start.
        var loads = pages.Skip(1).Select(p => p.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = (float)LiveDeadline.TotalMilliseconds }))
            .ToList();
        var live = new TimeSpan?[TabCount];
        live[0] = TimeSpan.Zero;
        while (live.Any(t => t is null) && clock.Elapsed < LiveDeadline)
        {
            for (var i = 1; i < TabCount; i++)
            {
                if (live[i] is null && await pages[i].Locator("[data-circuit=live]").CountAsync() == 1)
                {
                    live[i] = clock.Elapsed;
                }
            }

            await Task.Delay(100);
        }

        await Task.WhenAll(loads.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        var protocols = new List<string>();
        foreach (var page in pages)
        {
            protocols.Add(await page.EvaluateAsync<string>("performance.getEntriesByType('navigation')[0]?.nextHopProtocol ?? ''"));
        }

        var before = await nodes.NewCountAsync(Merchant);
        await nodes.InsertOrderAsync(Merchant, "Eight tabs");
        var expected = (before + 1).ToString(CultureInfo.InvariantCulture);
        var written = Stopwatch.StartNew();
        var badge = new TimeSpan?[TabCount];
        while (badge.Any(t => t is null) && written.Elapsed < WatchDeadline)
        {
            for (var i = 0; i < TabCount; i++)
            {
                if (badge[i] is null && await pages[i].GetByTestId("new-order-badge").TextContentAsync() is { } text && text.Trim() == expected)
                {
                    badge[i] = written.Elapsed;
                }
            }

            await Task.Delay(50);
        }

        return new TabFigures(live, badge, protocols);
    }

    private static string Text(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static void Report(string setup, TabFigures figures) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{setup}, {TabCount} long-polling tabs of one merchant:\n{Describe(figures)}");

    private static string Describe(TabFigures figures) => string.Join("\n", Enumerable.Range(0, TabCount).Select(i =>
        string.Create(CultureInfo.InvariantCulture,
            $"tab {i + 1}: {figures.Protocols[i]}, live {Seconds(figures.Live[i])}, badge after the order {Seconds(figures.Badge[i])}")));

    private static string Seconds(TimeSpan? time) =>
        time is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F2} s") : "never";

    private sealed record TabFigures(TimeSpan?[] Live, TimeSpan?[] Badge, List<string> Protocols);
}
