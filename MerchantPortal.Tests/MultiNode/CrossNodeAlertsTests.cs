using System.Globalization;
using System.Text.RegularExpressions;
using MerchantPortal.Tests.Browser;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.MultiNode;

/// <summary>
/// Live alerts across nodes, in Chromium through nginx: a merchant's tab on one node sees orders
/// written by the other node (an admin's seed) and by a third process (the CLI). Each node's own
/// poller finds them in the shared database; nothing passes between the nodes.
/// </summary>
[Collection(MultiNodeTests.Name)]
public sealed class CrossNodeAlertsTests(TwoNodes nodes, BrowserFixture browsers) : IAsyncLifetime
{
    /// <summary>The promise, across nodes too: on screen within 3 s.</summary>
    private const float Deadline = 3000;

    private const int Samples = 20;

    private static readonly string[] Shops = ["Demo Shop 1", "Demo Shop 2"];

    public ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(Deadline);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AnAdminOnNodeASeedsOrdersForAMerchantWhoseTabIsOnNodeBAndTheCliReachesTabsOnBothNodes()
    {
        await using var merchant1 = await NodeTabs.ContextAsync(browsers, nodes, nodes.B);
        await using var merchant2 = await NodeTabs.ContextAsync(browsers, nodes, nodes.A);
        await using var admin = await NodeTabs.ContextAsync(browsers, nodes, nodes.A);
        var socket = new TaskCompletionSource<IWebSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var onB = await NodeTabs.OpenMerchantAsync(merchant1, "merchant1@demo.local", "/", page => page.WebSocket += (_, ws) =>
        {
            if (ws.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                socket.TrySetResult(ws);
            }
        });
        var onA = await NodeTabs.OpenMerchantAsync(merchant2, "merchant2@demo.local");
        var seed = await NodeTabs.OpenSeedPageAsync(admin);
        // Where each circuit runs, as the page itself says, and where nginx sent the page load.
        await Assertions.Expect(NodeTabs.CircuitNode(onB.Page)).ToHaveTextAsync(nodes.B.Name);
        await Assertions.Expect(NodeTabs.CircuitNode(onA.Page)).ToHaveTextAsync(nodes.A.Name);
        await Assertions.Expect(NodeTabs.CircuitNode(seed)).ToHaveTextAsync(nodes.A.Name);
        Assert.Equal(nodes.B.Name, await ServedByAsync(onB.Page));
        Assert.Equal(nodes.A.Name, await ServedByAsync(onA.Page));
        // The circuit came through nginx over a WebSocket (the upgrade passed), not a fallback.
        var circuitSocket = await socket.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        var shop1 = await nodes.NewCountAsync("Demo Shop 1");
        var shop2 = await nodes.NewCountAsync("Demo Shop 2");
        await Assertions.Expect(onB.Badge).ToHaveTextAsync(Text(shop1));
        await Assertions.Expect(onA.Badge).ToHaveTextAsync(Text(shop2));

        await NodeTabs.SeedAsync(seed, "Demo Shop 1", 3);

        await Assertions.Expect(onB.Badge).ToHaveTextAsync(Text(shop1 + 3));
        await Assertions.Expect(onB.Toasts).ToHaveCountAsync(3);
        await Assertions.Expect(onA.Badge).ToHaveTextAsync(Text(shop2));
        await Assertions.Expect(onA.Toasts).ToHaveCountAsync(0);
        Assert.False(circuitSocket.IsClosed, "The circuit's WebSocket through nginx closed.");

        // The command line writes straight to the database: each node's poller finds it. Both
        // commands at once; their orders are numbered after each shop's last one.
        var last1 = await nodes.LastOrderNumberAsync("Demo Shop 1");
        var last2 = await nodes.LastOrderNumberAsync("Demo Shop 2");
        var commands = await Task.WhenAll(Shops.Select(shop =>
            PortalApp.RunCommandAsync(nodes.Database, "seed-orders", "--merchant", shop, "--count", "2")));
        Assert.All(commands, command => Assert.True(command.ExitCode == 0, command.Output));

        await Assertions.Expect(onB.Badge).ToHaveTextAsync(Text(shop1 + 5));
        await Assertions.Expect(onA.Badge).ToHaveTextAsync(Text(shop2 + 2));
        // One toast per CLI order (the admin's three may have timed out meanwhile: toasts show 8 s).
        foreach (var (tab, last) in new[] { (onB, last1), (onA, last2) })
        {
            foreach (var number in new[] { last + 1, last + 2 })
            {
                await Assertions.Expect(tab.Toasts.Filter(new() { HasTextRegex = new Regex($"#{number}(?![0-9])") })).ToHaveCountAsync(1);
            }
        }

        await Assertions.Expect(NodeTabs.CircuitNode(onB.Page)).ToHaveTextAsync(nodes.B.Name);
        await Assertions.Expect(NodeTabs.CircuitNode(onA.Page)).ToHaveTextAsync(nodes.A.Name);
    }

    [Fact]
    public async Task SeedsFromNodeAReachTabsOnEitherNodeWithinThreeSecondsAndTheLatencyIsReported()
    {
        await using var merchant1 = await NodeTabs.ContextAsync(browsers, nodes, nodes.B);
        await using var merchant2 = await NodeTabs.ContextAsync(browsers, nodes, nodes.A);
        await using var admin = await NodeTabs.ContextAsync(browsers, nodes, nodes.A);
        var onB = await NodeTabs.OpenMerchantAsync(merchant1, "merchant1@demo.local");
        var onA = await NodeTabs.OpenMerchantAsync(merchant2, "merchant2@demo.local");
        var seed = await NodeTabs.OpenSeedPageAsync(admin);
        await Assertions.Expect(NodeTabs.CircuitNode(onB.Page)).ToHaveTextAsync(nodes.B.Name);
        await Assertions.Expect(NodeTabs.CircuitNode(onA.Page)).ToHaveTextAsync(nodes.A.Name);
        await Assertions.Expect(NodeTabs.CircuitNode(seed)).ToHaveTextAsync(nodes.A.Name);
        var counts = new Dictionary<LivePage, int>
        {
            [onB] = await nodes.NewCountAsync("Demo Shop 1"),
            [onA] = await nodes.NewCountAsync("Demo Shop 2"),
        };
        await Assertions.Expect(onB.Badge).ToHaveTextAsync(Text(counts[onB]));
        await Assertions.Expect(onA.Badge).ToHaveTextAsync(Text(counts[onA]));
        var seeder = new LivePage(seed);

        var crossNode = new List<long>();
        var sameNode = new List<long>();
        for (var i = 0; i < 2 * Samples; i++)
        {
            // Alternately the merchant on the other node and the one on the seeding node. Every
            // batch has a different size, so the seed page's double-submit guard (same values
            // within a second) never swallows one.
            var (tab, shop, samples) = i % 2 == 0 ? (onB, "Demo Shop 1", crossNode) : (onA, "Demo Shop 2", sameNode);
            var size = i + 1;
            // Writes land at a random point of the poll cycle (it spreads samples; it waits for nothing).
            await Task.Delay(Random.Shared.Next(0, 500), TestContext.Current.CancellationToken);
            var clicked = await seeder.BrowserNowAsync();
            await NodeTabs.SeedAsync(seed, shop, size);
            counts[tab] += size;
            samples.Add(await tab.WhenBadgeShowedAsync(counts[tab]) - clicked);
        }

        var report = $"""
            cross-node write-to-badge latency through nginx, PostgreSQL, {Samples} samples each, poll interval 500 ms (ms: median / p95 / max)
              admin seed on {nodes.A.Name} (clicked -> badge) for a tab on {nodes.B.Name}: {LatencyTests.Summary(crossNode)}
              admin seed on {nodes.A.Name} (clicked -> badge) for a tab on {nodes.A.Name}: {LatencyTests.Summary(sameNode)}
            """;
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        if (Environment.GetEnvironmentVariable("MERCHANTPORTAL_LATENCY_REPORT") is { Length: > 0 } path)
        {
            await File.AppendAllTextAsync(path, report + Environment.NewLine, TestContext.Current.CancellationToken);
        }

        Assert.All(crossNode.Concat(sameNode), ms => Assert.InRange(ms, 0, (long)Deadline));
    }

    /// <summary>The node that answered the page's document request (X-Portal-Node, read in the browser).</summary>
    internal static async Task<string> ServedByAsync(IPage page) =>
        await page.EvaluateAsync<string>("async () => (await fetch(location.href, { method: 'HEAD' })).headers.get('X-Portal-Node')");

    private static string Text(int count) => count.ToString(CultureInfo.InvariantCulture);
}
