using System.Text;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Reconnect;
using MerchantPortal.Bench.Tests.Infrastructure;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Deploy;

/// <summary>
/// The bench's model of reconnect.js after a reload: the real app, which keeps no disconnected circuit (so a
/// cut connection ends in a reload), each dashboard behind a <see cref="RequestGate"/> that holds or refuses
/// its reloaded page's negotiation (the second after the cut: the first is the reconnection attempt's).
/// </summary>
public sealed class ReconnectingDashboardTests : IAsyncLifetime
{
    private const string Negotiate = "POST /_blazor/negotiate";

    private readonly StringBuilder _output = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("merchantportal-bench-").FullName;
    private System.Diagnostics.Process? _app;
    private Uri _baseAddress = default!;

    public async ValueTask InitializeAsync()
    {
        _baseAddress = AppProcess.FreeLoopbackAddress();
        _app = AppProcess.Start($"Data Source={Path.Combine(_folder, "portal.db")}", ["--urls", _baseAddress.ToString().TrimEnd('/')], _output,
            new Dictionary<string, string> { ["Circuits__DisconnectedMaxRetained"] = "0" });
        await AppProcess.WaitUntilServingAsync(_app, _baseAddress, _output);
    }

    [Fact]
    public async Task ASlowStartIsWaitedForPastThirtySecondsAndAFailedOneReloadsAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var slow = new RequestGate(_baseAddress);
        await using var failed = new RequestGate(_baseAddress);
        using var http = CookieHttp.CreateSharedClient();
        MerchantSession[] sessions =
        [
            await MerchantSession.SignInAsync(http, slow.BaseAddress, "merchant1@demo.local", "Demo!2345", ct),
            await MerchantSession.SignInAsync(http, failed.BaseAddress, "merchant2@demo.local", "Demo!2345", ct),
        ];
        await using var fleet = new DashboardFleet();
        Assert.Equal(2, await fleet.OpenAsync(sessions, 2, 2, TimeSpan.FromSeconds(30)));

        slow.Arm(Negotiate, 2, TimeSpan.FromSeconds(35));
        failed.Arm(Negotiate, 2, hold: null);
        slow.Cut();
        failed.Cut();

        var report = () => $"live {fleet.Live}, outages [{string.Join(", ", fleet.Outages)}], retries [{string.Join(", ", fleet.StartRetries.Grouped())}], "
            + string.Join("; ", fleet.Dashboards.Select(d => $"{d.Email}: reloads {d.Reloads}, attempts {d.Attempts}, failure {d.Failure}")) + "\n" + AppProcess.Read(_output);
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(90), () => fleet.Outages.Count == 2), report());
        var slowOne = fleet.Dashboards.Single(d => d.Session == sessions[0]);
        var failedOne = fleet.Dashboards.Single(d => d.Session == sessions[1]);
        // The failed start reloaded again after one short backoff, not after the rest of a deadline;
        // the slow one kept its start (one reload) and came back only once its negotiation was let through.
        Assert.True(failedOne.Reloads == 2 && fleet.Outages[0] < TimeSpan.FromSeconds(20), report());
        Assert.True(slowOne.Reloads == 1 && fleet.Outages[1] > TimeSpan.FromSeconds(35), report());
        Assert.Equal(1, fleet.StartRetries.Grouped().Sum(r => r.Count));
        Assert.Empty(fleet.Failures.Grouped());
    }

    public async ValueTask DisposeAsync()
    {
        await AppProcess.StopAsync(_app);
        Directory.Delete(_folder, recursive: true);
    }
}
