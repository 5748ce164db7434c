using System.Globalization;
using MerchantPortal.Tests.Browser;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.MultiNode;

/// <summary>
/// A browser whose WebSockets are blocked (as some proxies do) falls back to long polling: many
/// separate HTTP requests per circuit, each of which nginx must send to the node holding it.
/// The browser is placed by nginx alone (no affinity cookie of the test's), as a real one is.
/// </summary>
[Collection(MultiNodeTests.Name)]
public sealed class LongPollingThroughNginxTests(TwoNodes nodes, BrowserFixture browsers)
{
    private const float Deadline = 3000;

    [Fact]
    public async Task WithWebSocketsBlockedLongPollingThroughNginxStaysLiveAndEveryCircuitRequestReachesOneNode()
    {
        Assertions.SetDefaultExpectTimeout(Deadline);
        await using var context = await NodeTabs.ContextAsync(browsers, nodes);
        await context.AddInitScriptAsync(LiveAlertsBrowserTests.BlockWebSocketsScript);
        var circuitResponses = new List<(string Method, string Url, int Status, string? Node, DateTime At)>();
        var tab = await NodeTabs.OpenMerchantAsync(context, "merchant2@demo.local", "/", page =>
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
        var before = await nodes.NewCountAsync("Demo Shop 2");
        await Assertions.Expect(tab.Badge).ToHaveTextAsync(Text(before));
        var written = DateTime.UtcNow;

        await nodes.InsertOrderAsync("Demo Shop 2", "Long-polled through nginx");

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

    private static string Text(int count) => count.ToString(CultureInfo.InvariantCulture);
}
