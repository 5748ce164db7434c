using System.Globalization;
using MerchantPortal.Tests.Browser;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.MultiNode;

/// <summary>
/// A node dies under an open tab. Its own two nodes and nginx (the shared ones stay whole for the
/// other multi-node classes), so it runs alongside them.
/// </summary>
public sealed class NodeFailoverTests(BrowserFixture browsers)
{
    /// <summary>
    /// From the kill to the new circuit: the tab notices the dropped socket, its reconnect is
    /// refused by the surviving node (which never knew the circuit), it checks that the server
    /// answers and reloads itself. Seconds in practice; generous for a loaded machine.
    /// </summary>
    private const float RecoveryDeadline = 60_000;

    [Fact]
    public async Task KillingTheNodeThatHoldsATabMovesItByItselfToTheSurvivingNodeWithTheDatabasesCountAndTheOrdersWrittenMeanwhile()
    {
        Assertions.SetDefaultExpectTimeout(3000);
        await using var nodes = new TwoNodes();
        await nodes.InitializeAsync();
        await using var context = await NodeTabs.ContextAsync(browsers, nodes, nodes.A);
        var tab = await NodeTabs.OpenMerchantAsync(context, "merchant1@demo.local", "orders");
        await Assertions.Expect(NodeTabs.CircuitNode(tab.Page)).ToHaveTextAsync(nodes.A.Name);
        await Assertions.Expect(tab.Badge).ToHaveTextAsync(Text(await nodes.NewCountAsync("Demo Shop 1")));
        // Marks this document: a reload by the page itself replaces it, a reconnect would keep it.
        await tab.Page.EvaluateAsync("window.__beforeTheKill = true");

        var outage = System.Diagnostics.Stopwatch.StartNew();
        await nodes.A.KillAsync();
        await nodes.InsertOrderAsync("Demo Shop 1", "Written during the outage");
        await nodes.InsertOrderAsync("Demo Shop 1", "Also written during the outage");

        // No click, no reload by the test: the page finds its way to node B in a new circuit.
        await Assertions.Expect(NodeTabs.CircuitNode(tab.Page)).ToHaveTextAsync(nodes.B.Name, new() { Timeout = RecoveryDeadline });
        await Assertions.Expect(tab.Page.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = RecoveryDeadline });
        var recovered = outage.Elapsed;
        Assert.False(await tab.Page.EvaluateAsync<bool>("window.__beforeTheKill === true"), "The page kept its old document; a new circuit needs a new one.");
        Assert.Equal(nodes.B.Name, await CrossNodeAlertsTests.ServedByAsync(tab.Page));
        await Assertions.Expect(tab.Badge).ToHaveTextAsync(Text(await nodes.NewCountAsync("Demo Shop 1")));
        var grid = tab.Page.GetByTestId("orders-grid");
        await Assertions.Expect(grid).ToContainTextAsync("Written during the outage");
        await Assertions.Expect(grid).ToContainTextAsync("Also written during the outage");

        // And it is live there: an order written now arrives as badge and toast.
        var count = await nodes.NewCountAsync("Demo Shop 1");
        await nodes.InsertOrderAsync("Demo Shop 1", "Written after the move");
        await Assertions.Expect(tab.Badge).ToHaveTextAsync(Text(count + 1));
        await Assertions.Expect(tab.Toasts.Filter(new() { HasText = "Written after the move" })).ToHaveCountAsync(1);
        await Assertions.Expect(NodeTabs.CircuitNode(tab.Page)).ToHaveTextAsync(nodes.B.Name);

        var report = string.Create(CultureInfo.InvariantCulture, $"node failover through nginx: node killed -> its tab live in a new circuit on the other node after {recovered.TotalSeconds:0.0} s\n");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        if (Environment.GetEnvironmentVariable("MERCHANTPORTAL_LATENCY_REPORT") is { Length: > 0 } path)
        {
            await File.AppendAllTextAsync(path, report, TestContext.Current.CancellationToken);
        }
    }

    private static string Text(int count) => count.ToString(CultureInfo.InvariantCulture);
}
