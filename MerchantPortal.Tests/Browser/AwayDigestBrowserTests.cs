using System.Diagnostics;
using System.Text;
using MerchantPortal.Data.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>
/// "While you were away" in Chromium, on an app process of its own: its node timer for
/// LastLiveAt is set to 10 minutes, so the only stamps during the test are the ones a tab going
/// down writes (the test asserts what they imply, not what a timer tick happened to do).
/// </summary>
public sealed class AwayDigestBrowserTests(BrowserFixture browsers)
{
    private const string Shop = "Demo Shop 1";

    [Fact]
    public async Task AWebSocketCutOfTenSecondsListsExactlyTheOrdersWrittenMeanwhileAndADismissalSurvivesAReload()
    {
        await using var database = new TestDatabase();
        var output = new StringBuilder();
        var address = AppProcess.FreeLoopbackAddress();
        var process = AppProcess.Start(database.ConnectionString, ["--urls", address.ToString().TrimEnd('/')], output,
            new Dictionary<string, string> { ["Alerts__LastLiveInterval"] = "00:10:00" });
        try
        {
            await AppProcess.WaitUntilServingAsync(process, address, output);
            var browser = await browsers.GetBrowserAsync();
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString() });

            // Every circuit WebSocket goes through this proxy, so the test can cut it.
            var cut = false;
            var sockets = new List<(IWebSocketRoute Page, IWebSocketRoute Server)>();
            await context.RouteWebSocketAsync("**/_blazor**", ws =>
            {
                if (Volatile.Read(ref cut))
                {
                    _ = ws.CloseAsync();
                    return;
                }

                var server = ws.ConnectToServer();
                lock (sockets)
                {
                    sockets.Add((ws, server));
                }
            });
            var tab = await context.NewPageAsync();
            await DashboardBrowserTests.SignInAsync(tab, "merchant1@demo.local");
            await Assertions.Expect(tab.Locator("[data-circuit=live]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await tab.EvaluateAsync("window.__beforeCut = true");

            // The cut: open sockets closed at both ends, new ones refused, and the long-polling
            // fallback (every /_blazor request) failed too.
            var cutAt = DateTime.UtcNow;
            Volatile.Write(ref cut, true);
            await context.RouteAsync("**/_blazor**", route => route.AbortAsync());
            var cutFor = Stopwatch.StartNew();
            List<(IWebSocketRoute Page, IWebSocketRoute Server)> open;
            lock (sockets)
            {
                open = [.. sockets];
            }

            foreach (var (page, server) in open)
            {
                await server.CloseAsync();
                await page.CloseAsync();
            }

            await Assertions.Expect(tab.GetByTestId("connection-status")).ToHaveTextAsync("Reconnecting…", new() { UseInnerText = true, Timeout = 15_000 });
            // The server's side of the cut: the user's only live tab went down, which stamps LastLiveAt.
            await Eventually.HoldsAsync(async () =>
            {
                await using var db = database.CreateDbContext();
                // Stamped at or after the cut: a stamp from before it (a circuit the sign-in closed) does
                // not prove the server saw this connection go down, and orders written before it did
                // would fall before the cut's window (the digest then rightly lists none).
                return await db.Users.Where(u => u.Email == "merchant1@demo.local").Select(u => u.LastLiveAt).SingleAsync() >= cutAt;
            }, "the server saw the circuit's connection go down", TimeSpan.FromSeconds(45));
            List<Order> written;
            await using (var db = database.CreateDbContext())
            {
                written = await TestOrders.InsertAsync(db, Shop, 3);
            }

            var left = TimeSpan.FromSeconds(10) - cutFor.Elapsed;
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, TestContext.Current.CancellationToken); // the 10 s cut is the scenario, not a wait for an assertion
            }

            Volatile.Write(ref cut, false);
            await context.UnrouteAsync("**/_blazor**");

            await Assertions.Expect(tab.GetByTestId("connection-status")).ToHaveTextAsync("Live", new() { UseInnerText = true, Timeout = 60_000 });
            Assert.True(await tab.EvaluateAsync<bool>("window.__beforeCut === true"), "the circuit survived the cut: no reload");
            var expected = written.Select(o => $"orders/{o.Id}").ToArray();
            var rows = tab.GetByTestId("away-digest-order");
            await Assertions.Expect(rows).ToHaveCountAsync(3, new() { Timeout = 15_000 });
            Assert.Equal(expected, await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('href'))"));

            // A second tab while the first is open: the user was last live when the cut began, so it
            // lists the same three, until dismissed; its reload then lists nothing.
            var second = await context.NewPageAsync();
            await second.GotoAsync("/");
            var secondRows = second.GetByTestId("away-digest-order");
            await Assertions.Expect(secondRows).ToHaveCountAsync(3, new() { Timeout = 30_000 });
            await second.GetByTestId("away-digest-dismiss").ClickAsync();
            await Assertions.Expect(second.GetByTestId("away-digest")).ToHaveCountAsync(0);

            await second.ReloadAsync();

            await Assertions.Expect(second.Locator("[data-away-digest=none]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Assertions.Expect(second.GetByTestId("away-digest")).ToHaveCountAsync(0);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(ex.Message + "\nApp output:\n" + AppProcess.Read(output), ex);
        }
        finally
        {
            await AppProcess.StopAsync(process);
        }
    }
}
