using System.Globalization;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>
/// Write-to-badge latency as a merchant sees it, for the two kinds of writer. Each sample must
/// meet the 3 s deadline; the distribution is reported (not asserted: machines here are noisy)
/// to the test output and to $MERCHANTPORTAL_LATENCY_REPORT when set (.ci/test prints it).
/// </summary>
[Collection(SharedAppTests.Name)]
public sealed class LatencyTests(PortalApp app, BrowserFixture browsers)
{
    private const int Samples = 15;
    private const long DeadlineMs = 3000;

    [Fact]
    public async Task WritesReachTheBadgeWithinTheDeadlineFromAnotherProcessAndFromTheAppItself()
    {
        Assertions.SetDefaultExpectTimeout(DeadlineMs);
        var helper = new LiveAlertsBrowserTests(app, browsers);
        await using var context = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var watcher = await LiveAlertsBrowserTests.OpenAsync(context, "merchant2@demo.local", "/");
        var count = await helper.NewCountAsync("Demo Shop 2");
        await Assertions.Expect(watcher.Badge).ToHaveTextAsync(count.ToString(CultureInfo.InvariantCulture));

        // Another process (this test) commits an order; the app's poller finds it.
        var otherProcess = new List<long>();
        for (var i = 0; i < Samples; i++)
        {
            // Writes land at a random point of the poll cycle; otherwise each one would follow a
            // poll just done and always wait the full interval. This spreads samples, it waits for nothing.
            await Task.Delay(Random.Shared.Next(0, 500), TestContext.Current.CancellationToken);
            await helper.InsertAsync("Demo Shop 2", 1);
            var committed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            otherProcess.Add(await watcher.WhenBadgeShowedAsync(++count) - committed);
        }

        // The app itself writes (a merchant accepts in another tab); the poller is woken at once.
        var actor = await LiveAlertsBrowserTests.OpenSecondTabAsync(context, "orders");
        var sameProcess = new List<long>();
        for (var i = 0; i < Samples; i++)
        {
            var buttons = actor.Page.GetByTestId("accept-order");
            await Assertions.Expect(buttons.First).ToBeVisibleAsync();
            var shown = await buttons.CountAsync();
            var clicked = await actor.BrowserNowAsync();
            await buttons.First.ClickAsync();
            sameProcess.Add(await watcher.WhenBadgeShowedAsync(--count) - clicked);
            // The acting tab's grid reloads on the same notification; a click while it re-renders
            // could reach a button the server has already replaced, so the next click waits for it.
            await Assertions.Expect(buttons).ToHaveCountAsync(shown - 1);
        }

        var report = $"""
            write-to-badge latency, {Samples} samples each, app poll interval 500 ms (ms: median / p95 / max)
              other process (insert committed -> badge): {Summary(otherProcess)}
              same process (accept clicked -> other tab's badge): {Summary(sameProcess)}
            """;
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        if (Environment.GetEnvironmentVariable("MERCHANTPORTAL_LATENCY_REPORT") is { Length: > 0 } path)
        {
            await File.AppendAllTextAsync(path, report + Environment.NewLine, TestContext.Current.CancellationToken);
        }

        Assert.All(otherProcess.Concat(sameProcess), ms => Assert.InRange(ms, 0, DeadlineMs));
    }

    /// <summary>"median / p95 / max" of latency samples in ms.</summary>
    internal static string Summary(List<long> samples)
    {
        var sorted = samples.Order().ToList();
        var p95 = sorted[(int)Math.Ceiling(0.95 * sorted.Count) - 1];
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[sorted.Count / 2]} / {p95} / {sorted[^1]}");
    }
}
