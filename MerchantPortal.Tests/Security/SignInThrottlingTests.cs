using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.Security;

/// <summary>
/// Sign-in throttling per client address and per account name, and the forwarded headers it
/// relies on, against a real app process (<see cref="ThrottledApp"/>: 5 attempts per address and
/// 3 per account per 30 s). Each test poses as addresses of its own, so they run independently.
/// </summary>
public sealed partial class SignInThrottlingTests(ThrottledApp app) : IClassFixture<ThrottledApp>
{
    private static readonly TimeSpan TokenPerAddress = ThrottledApp.Window / ThrottledApp.PerAddress;

    [Fact]
    public async Task APasswordSprayFromOneAddressIsThrottledAndLoggedOnceWhileAnotherAddressSignsIn()
    {
        const string Sprayer = "203.0.113.10";
        using var spray = app.ClientFrom(Sprayer);
        var elapsed = Stopwatch.StartNew();
        var wentAhead = 0;
        var throttled = new List<HttpResponseMessage>();
        for (var account = 0; account < 50; account++)
        {
            var response = await spray.PostLoginAsync($"user{account}@spray.test", "Summer2026!");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throttled.Add(response);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("Invalid e-mail or password.", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
                wentAhead++;
                response.Dispose();
            }
        }

        // The bucket's 5, plus one for every 6 s the spray took on this machine.
        Assert.InRange(wentAhead, ThrottledApp.PerAddress, ThrottledApp.PerAddress + (int)(elapsed.Elapsed / TokenPerAddress) + 1);
        var first = throttled[0];
        var page = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var seconds = int.Parse(TryAgainIn().Match(page).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, (int)Math.Ceiling(TokenPerAddress.TotalSeconds));
        Assert.Equal(seconds.ToString(CultureInfo.InvariantCulture), SecurityHeadersTests.Header(first, "Retry-After"));
        throttled.ForEach(r => r.Dispose());

        // Someone else, elsewhere, meanwhile: straight in.
        using var colleague = app.ClientFrom("198.51.100.20");
        using var signedIn = await colleague.PostLoginAsync(ThrottledApp.AdminEmail, ThrottledApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        // One warning for the sprayer's address in this window, not 45.
        await Eventually.HoldsAsync(() => ThrottledLines(Sprayer) >= 1, "the throttled address was not logged:\n" + app.Output);
        Assert.Equal(1, ThrottledLines(Sprayer));
    }

    [Fact]
    public async Task OneAccountIsThrottledWhateverAddressesTheAttemptsComeFrom()
    {
        const string Victim = "Victim@Accounts.test";
        for (var attempt = 0; attempt < ThrottledApp.PerAccount; attempt++)
        {
            using var client = app.ClientFrom($"192.0.2.{attempt + 1}");
            using var response = await client.PostLoginAsync(attempt % 2 == 0 ? Victim : " victim@accounts.TEST ", "wrong-password");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var fresh = app.ClientFrom("192.0.2.99");
        using var throttled = await fresh.PostLoginAsync("victim@accounts.test", "wrong-password");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Matches(TryAgainIn(), await throttled.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await Eventually.HoldsAsync(() => app.Output.Contains("throttled for account VICTIM@ACCOUNTS.TEST", StringComparison.Ordinal), "the throttled account was not logged");
    }

    [Fact]
    public async Task AThrottledAddressMayTryAgainAfterTheTimeItWasTold()
    {
        using var client = app.ClientFrom("203.0.113.30");
        HttpResponseMessage response;
        var attempts = 0;
        while ((response = await client.PostLoginAsync($"again{attempts++}@retry.test", "wrong-password")).StatusCode != HttpStatusCode.TooManyRequests)
        {
            Assert.True(attempts <= 20, "never throttled");
            response.Dispose();
        }

        var told = TimeSpan.FromSeconds(int.Parse(SecurityHeadersTests.Header(response, "Retry-After"), CultureInfo.InvariantCulture));
        response.Dispose();
        await Eventually.HoldsAsync(
            async () =>
            {
                using var retry = await client.PostLoginAsync($"again{attempts++}@retry.test", "wrong-password");
                return retry.StatusCode == HttpStatusCode.OK;
            },
            "still throttled well after the time the page gave",
            told + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task BehindATrustedProxyTheClientsHttpsMakesCookiesSecureAndSendsHsts()
    {
        var https = await SignInAsync(app.BaseAddress, "https", "198.51.100.40", ThrottledApp.ProxyTestsEmail);
        var http = await SignInAsync(app.BaseAddress, "http", "198.51.100.41", ThrottledApp.ProxyTestsEmail);

        Assert.Contains("secure", https.AuthCookie, StringComparison.OrdinalIgnoreCase);
        Assert.True(https.Hsts, "no Strict-Transport-Security outside Development for an https client");
        Assert.DoesNotContain("secure", http.AuthCookie, StringComparison.OrdinalIgnoreCase);
        Assert.False(http.Hsts, "HSTS over plain http");
    }

    [Fact]
    public async Task AnUntrustedSendersForwardedHeadersAreIgnored()
    {
        // This app trusts only 192.0.2.254, so the test (on loopback) is not a proxy to it.
        var output = new System.Text.StringBuilder();
        await using var database = new TestDatabase();
        var address = AppProcess.FreeLoopbackAddress();
        var process = AppProcess.Start(database.ConnectionString, ["--urls", address.ToString().TrimEnd('/')], output, new Dictionary<string, string>
        {
            ["ForwardedHeaders__TrustedProxies__0"] = "192.0.2.254",
            ["SignInThrottle__PerAddress"] = "2",
            ["SignInThrottle__Window"] = "00:10:00",
        });
        try
        {
            await AppProcess.WaitUntilServingAsync(process, address, output);

            var https = await SignInAsync(address, "https", "198.51.100.50", "merchant1@demo.local", PortalSignIn.DemoPassword);
            Assert.DoesNotContain("secure", https.AuthCookie, StringComparison.OrdinalIgnoreCase);

            // Each claims another address; all are 127.0.0.1 to the app, which already let one through.
            using var second = new HttpClient { BaseAddress = address };
            second.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.51");
            using var allowed = await second.PostLoginAsync("nobody@example.test", "wrong-password");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            using var third = new HttpClient { BaseAddress = address };
            third.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.52");
            using var refused = await third.PostLoginAsync("nobody@example.test", "wrong-password");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            await Eventually.HoldsAsync(() => AppProcess.Read(output).Contains("throttled for address 127.0.0.1", StringComparison.Ordinal), "not throttled as 127.0.0.1:\n" + AppProcess.Read(output));
        }
        finally
        {
            await AppProcess.StopAsync(process);
        }
    }

    [Fact]
    public async Task ThroughTheCommittedNginxConfigurationAClientCannotChooseItsAddressOrScheme()
    {
        // deploy/nginx/merchantportal.conf in front of this app (as both of its nodes): nginx
        // appends the address it saw to a forged X-Forwarded-For and replaces X-Forwarded-Proto,
        // and the app reads only the last hop. The test reaches nginx from 127.0.0.1.
        await using var nginx = await NginxProcess.StartAsync(app.BaseAddress, app.BaseAddress);

        var https = await SignInAsync(nginx.BaseAddress, "https", "198.51.100.60");
        Assert.DoesNotContain("secure", https.AuthCookie, StringComparison.OrdinalIgnoreCase);
        Assert.False(https.Hsts, "HSTS for a client that only claimed https");

        HttpResponseMessage response;
        var attempt = 0;
        do
        {
            using var forged = new HttpClient { BaseAddress = nginx.BaseAddress };
            forged.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{61 + attempt}");
            response = await forged.PostLoginAsync($"forged{attempt++}@nginx.test", "wrong-password");
        }
        while (response.StatusCode == HttpStatusCode.OK && attempt <= 2 * ThrottledApp.PerAddress);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        response.Dispose();
        await Eventually.HoldsAsync(() => app.Output.Contains("throttled for address 127.0.0.1:", StringComparison.Ordinal), "not throttled as the address nginx saw:\n" + app.Output);
    }

    /// <summary>
    /// Signs in with cookies carried by hand: a cookie marked Secure would not go back over the
    /// test's plain http, and whether it is marked is what the caller checks.
    /// </summary>
    private static async Task<(string AuthCookie, bool Hsts)> SignInAsync(Uri baseAddress, string scheme, string address,
        string email = ThrottledApp.AdminEmail, string password = ThrottledApp.AdminPassword)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", scheme);
        // A name, not 127.0.0.1: HSTS is never sent to localhost or loopback addresses.
        client.DefaultRequestHeaders.Host = "portal.example";
        using var page = await client.GetAsync(new Uri("Account/Login", UriKind.Relative));
        var hsts = page.Headers.Contains("Strict-Transport-Security");
        var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var post = new HttpRequestMessage(HttpMethod.Post, "Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = PortalSignIn.AntiforgeryTokenIn(await page.Content.ReadAsStringAsync()),
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("Cookie", cookies);
        using var response = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("MerchantPortal.Auth=", StringComparison.Ordinal)), hsts);
    }

    private int ThrottledLines(string address) =>
        app.Output.Split('\n').Count(line => line.Contains($"throttled for address {address}:", StringComparison.Ordinal));

    [GeneratedRegex(@"Too many sign-in attempts\. Try again in (\d+) s\.")]
    private static partial Regex TryAgainIn();
}
