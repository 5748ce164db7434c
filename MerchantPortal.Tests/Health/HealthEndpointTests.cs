using System.Net;
using System.Text;
using MerchantPortal.Health;
using MerchantPortal.Tests.Infrastructure;
using Npgsql;

namespace MerchantPortal.Tests.Health;

/// <summary>/health/live and /health/ready over HTTP from the real app process, as a load balancer probes them: anonymous, no cookie.</summary>
public sealed class HealthEndpointTests(PortalApp app)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadyAnswers200AndTheOneWordHealthyToAnAnonymousProbeOfARunningApp()
    {
        using var client = app.CreateClient();
        await Eventually.HoldsAsync(async () => (await ProbeAsync(client, HealthRegistration.ReadyPath)).Status == HttpStatusCode.OK,
            "/health/ready never answered 200 on the shared app", Deadline);

        using var response = await client.GetAsync(new Uri(HealthRegistration.ReadyPath, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "a cached answer would hide the node's state");
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var live = await ProbeAsync(client, HealthRegistration.LivePath);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), live);
    }

    [Fact]
    public async Task WhileTheDatabaseServerIsDownReadyAnswers503AndLiveStill200AndReadyComesBackAfterTheRestartLoggingEachChangeOnce()
    {
        await using var cluster = await PrivatePostgresCluster.StartAsync();
        await cluster.CreateDatabaseAsync("portal");
        var address = AppProcess.FreeLoopbackAddress();
        var output = new StringBuilder();
        var process = AppProcess.Start(cluster.ConnectionString("portal"), ["--urls", address.ToString().TrimEnd('/')], output, new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["OrderNotifications__MaxRetryDelay"] = "00:00:02",
        });
        try
        {
            await AppProcess.WaitUntilServingAsync(process, address, output);
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            await Eventually.HoldsAsync(async () => (await ProbeAsync(client, HealthRegistration.ReadyPath)).Status == HttpStatusCode.OK,
                "/health/ready never answered 200 after start-up:\n" + AppProcess.Read(output), Deadline);
            var logBefore = AppProcess.Read(output).Length;

            await cluster.StopAsync();
            await Eventually.HoldsAsync(async () => await ProbeAsync(client, HealthRegistration.ReadyPath) == (HttpStatusCode.ServiceUnavailable, "Unhealthy"),
                "/health/ready did not answer 503 Unhealthy while the database server was down", Deadline);
            // Probed again and again while down, as a load balancer does: the answers stay put, and
            // the log must still say "not ready" only once.
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await ProbeAsync(client, HealthRegistration.ReadyPath));
                Assert.Equal((HttpStatusCode.OK, "Healthy"), await ProbeAsync(client, HealthRegistration.LivePath));
            }

            await cluster.StartAgainAsync();
            await Eventually.HoldsAsync(async () => await ProbeAsync(client, HealthRegistration.ReadyPath) == (HttpStatusCode.OK, "Healthy"),
                "/health/ready did not answer 200 Healthy again after the database server restarted", Deadline);

            // The console logger writes from a queue of its own: the line may trail the response.
            await Eventually.HoldsAsync(() => AppProcess.Read(output)[logBefore..].Contains("Ready again after ", StringComparison.Ordinal),
                "no \"Ready again\" line in the log:\n" + AppProcess.Read(output)[logBefore..]);
            var log = AppProcess.Read(output)[logBefore..];
            var lines = log.Split('\n');
            var notReady = Assert.Single(lines, l => l.Contains("Not ready (/health/ready answers 503): ", StringComparison.Ordinal));
            Assert.Contains("database: ", notReady, StringComparison.Ordinal);
            Assert.Single(lines, l => l.Contains("Ready again after ", StringComparison.Ordinal));
            // The health service's own line per check per probe is filtered out (only the changes above are logged).
            Assert.DoesNotContain("DefaultHealthCheckService", log, StringComparison.Ordinal);
            Assert.False(process.HasExited);
        }
        finally
        {
            await AppProcess.StopAsync(process);
            NpgsqlConnection.ClearAllPools();
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> ProbeAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
