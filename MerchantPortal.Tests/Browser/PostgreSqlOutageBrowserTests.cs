using System.Globalization;
using System.Text;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using Npgsql;

namespace MerchantPortal.Tests.Browser;

/// <summary>
/// The app process and an open dashboard while the PostgreSQL server (a cluster of the test's own)
/// is stopped for 10 s: the app and the circuit stay up, the page is never reloaded, and the
/// orders written before and after arrive, each once.
/// </summary>
public sealed class PostgreSqlOutageBrowserTests(BrowserFixture browsers)
{
    [Fact]
    public async Task WhileTheDatabaseServerIsDownTheAppAndTheOpenDashboardStayUpAndCatchUpAfterwards()
    {
        Assertions.SetDefaultExpectTimeout(10_000); // the poller retries at most every 2 s here
        await using var cluster = await PrivatePostgresCluster.StartAsync();
        await cluster.CreateDatabaseAsync("portal");
        var address = AppProcess.FreeLoopbackAddress();
        var output = new StringBuilder();
        var app = AppProcess.Start(cluster.ConnectionString("portal"), ["--urls", address.ToString().TrimEnd('/')], output, new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["OrderNotifications__MaxRetryDelay"] = "00:00:02",
        });
        try
        {
            await AppProcess.WaitUntilServingAsync(app, address, output);
            var browser = await browsers.GetBrowserAsync();
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString() });
            var dashboard = await LiveAlertsBrowserTests.OpenAsync(context, "merchant1@demo.local", "/");
            // A fresh demo database has 3 New orders for Demo Shop 1. Waiting for that, rather than
            // reading whatever the badge shows first: CI once read 0 here while the circuit's first
            // load was still under way, and the test then expected 1 where the page rightly showed 4.
            var count = 3;
            await Assertions.Expect(dashboard.Badge).ToHaveTextAsync(count.ToString(CultureInfo.InvariantCulture));

            await cluster.InsertOrderAsync("Before the outage");
            await dashboard.WhenBadgeShowedAsync(++count);
            await Assertions.Expect(dashboard.Toasts.Filter(new() { HasText = "Before the outage" })).ToHaveCountAsync(1);
            // A reload would lose this marker: the page must live through the outage as it is.
            await dashboard.Page.EvaluateAsync("window.__sameDocument = true");

            await cluster.StopAsync();
            var down = DateTime.UtcNow;
            while (DateTime.UtcNow - down < TimeSpan.FromSeconds(10))
            {
                Assert.False(app.HasExited, "the app exited while its database was down:\n" + AppProcess.Read(output));
                await Assertions.Expect(dashboard.Page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "live");
                await Task.Delay(500, TestContext.Current.CancellationToken); // sampling the page while the outage lasts
            }

            await cluster.StartAgainAsync();
            await cluster.InsertOrderAsync("After the outage 1");
            await cluster.InsertOrderAsync("After the outage 2");

            count += 2;
            await Assertions.Expect(dashboard.Badge).ToHaveTextAsync(count.ToString(CultureInfo.InvariantCulture));
            // Toasts fade after a while, so "Before the outage" was checked when it came.
            foreach (var customer in new[] { "After the outage 1", "After the outage 2" })
            {
                await Assertions.Expect(dashboard.Toasts.Filter(new() { HasText = customer })).ToHaveCountAsync(1);
            }

            Assert.True(await dashboard.Page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page was reloaded");
            Assert.False(app.HasExited);
            var log = AppProcess.Read(output);
            Assert.Single(log.Split('\n'), l => l.Contains("Order change polling failed", StringComparison.Ordinal));
            Assert.Contains("Order change polling recovered", log, StringComparison.Ordinal);
        }
        finally
        {
            await AppProcess.StopAsync(app);
            NpgsqlConnection.ClearAllPools();
        }
    }
}
