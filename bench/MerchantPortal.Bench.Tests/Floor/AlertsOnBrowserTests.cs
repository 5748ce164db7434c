using System.Collections.Concurrent;
using System.Globalization;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Floor;
using MerchantPortal.Bench.Sweep;
using MerchantPortal.Bench.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Floor;

/// <summary>
/// 50 dashboards of 10 merchants with every alert on, each driven by the alerts-on bench browser against
/// the real app: every armed check starts and its pings are answered "alive", a new order reaches every tab of
/// its merchant for a background notification, the alarm calls are answered as a browser would, and the app logs no warning about any of it.
/// </summary>
public sealed class AlertsOnBrowserTests(PortalProcess app) : IClassFixture<PortalProcess>
{
    private const int Circuits = 50;
    private const int Merchants = 10;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>A key of the orders AlertsArmed renders for background notifications (data-alerts-orders), in no other text.</summary>
    private static readonly byte[] BackgroundOrderJson = "\"url\":\"orders/"u8.ToArray();

    [Fact]
    public async Task FiftyAlertsOnDashboardsArmAnswerEveryCallAndThePingsAreAnsweredAlive()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0, await PrepareDbCommand.RunAsync(["--database", app.DatabasePath, "--merchants", Merchants.ToString(CultureInfo.InvariantCulture)], TextWriter.Null, TextWriter.Null, ct));
        Assert.Equal(Merchants, await AlertsOnUsers.SwitchOnAsync(app.DatabasePath));

        using var http = CookieHttp.CreateSharedClient();
        var sessions = new List<MerchantSession>();
        foreach (var email in BenchAccounts.Emails(Merchants))
        {
            sessions.Add(await MerchantSession.SignInAsync(http, app.BaseAddress, email, BenchAccounts.DefaultPassword, ct));
        }

        // Only what the app logs once the tabs open counts (a fresh app warns about its new key ring at start).
        var logFrom = app.Output.Length;
        var calls = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        var tabsWithNews = new ConcurrentDictionary<CircuitClient, bool>();
        // A 1 s ping instead of the product's 16 s, so every tab pings within the test.
        await using var browser = new AlertsOnBrowser(pingInterval: TimeSpan.FromSeconds(1));
        await using var set = await CircuitSet.OpenAsync(sessions, Circuits, _ => "", s =>
        {
            var inner = s.Callbacks;
            return browser.Wrap(new CircuitCallbacks
            {
                RenderBatch = inner.RenderBatch,
                RenderBatchBytes = (client, batch, bytes) =>
                {
                    inner.RenderBatchBytes?.Invoke(client, batch, bytes);
                    if (bytes.IndexOf(BackgroundOrderJson) >= 0)
                    {
                        tabsWithNews.TryAdd(client, true);
                    }
                },
                Closed = inner.Closed,
                JSInvoked = (_, identifier) => calls.Enqueue(identifier),
                ServerError = (_, error) => errors.Enqueue(error),
            });
        });
        Assert.Equal(Circuits, set.Held.Count);

        Assert.True(await Eventually.TrueWithinAsync(Deadline, () => browser.Armed == Circuits && browser.PingsAnswered >= 2 * Circuits),
            $"armed {browser.Armed}, pings {browser.PingsSent} sent, {browser.PingsAnswered} answered alive\n{app.Output}");
        Assert.Equal(0, browser.PingsRefused);
        // Sound and the alarm are on for these users: the sound module arms and the alarm module is told.
        Assert.Equal(Circuits, calls.Count(c => c == "unlockOnNextGesture"));
        Assert.Equal(Circuits, calls.Count(c => c == "update"));

        // A new order: every tab of that merchant gets it for a background notification, and the alarm its ring,
        // as rendered attributes (js/alerts.js and js/alarm.js act on them), not as calls.
        var (exit, seeded) = await app.RunCommandAsync("seed-orders", "--merchant", BenchAccounts.ShopName(1), "--count", "1");
        Assert.True(exit == 0, seeded);
        const int TabsOfMerchant1 = Circuits / Merchants;
        Assert.True(await Eventually.TrueWithinAsync(Deadline, () => tabsWithNews.Count >= TabsOfMerchant1),
            $"{tabsWithNews.Count} of {TabsOfMerchant1} tabs got the order for a background notification\n{app.Output}");
        Assert.DoesNotContain("notify", calls);

        Assert.Empty(errors);
        Assert.Equal(0, set.Dropped);
        var warnings = app.Output[logFrom..].Split('\n')
            .Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal))
            .ToList();
        Assert.True(warnings.Count == 0, $"the app logged:\n{app.Output}");
    }
}
