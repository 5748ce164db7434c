using System.Diagnostics;
using MerchantPortal.Bench.Soak;
using MerchantPortal.Bench.Sweep;
using MerchantPortal.Bench.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Soak;

/// <summary>
/// The soak's short form against the real app in its own process: tabs of both demo merchants open and
/// close in churn while orders flow, and afterwards the app has no subscriber, no more heap than 10% over
/// its start, its start's descriptors and no logged error, and every open tab showed every order written
/// while it was open. The long form (100,000 cycles) is the bench command; see RELIABILITY-soak.md.
/// </summary>
public sealed class SoakCommandTests(PortalProcess app) : IClassFixture<PortalProcess>
{
    [Fact]
    public async Task ChurnedTabsLeaveNoSubscriberHeapDescriptorOrErrorBehindAndMissNoOrder()
    {
        var output = new StringWriter();
        var log = new StringWriter();
        var clock = Stopwatch.StartNew();
        // 5 orders/s over 10 merchants: each gets fewer than its toasts can show (see SoakOptions).
        Assert.Equal(0, await PrepareDbCommand.RunAsync(["--database", app.DatabasePath, "--merchants", "10"], output, log, TestContext.Current.CancellationToken));

        var exit = await SoakCommand.RunAsync(
        [
            "--url", app.BaseAddress.ToString(), "--app-pid", app.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--database", app.DatabasePath, "--bench-merchants", "10", "--cycles", "300", "--warmup", "100", "--concurrency", "40",
            "--orders-per-second", "5", "--hold", "1s",
            // 200 cycles on a young app: its 25-35 MiB heap swings 20-30 % between runs either way
            // (RELIABILITY-soak.md); one leaked circuit per cycle would add 200 x 120+ KiB, over 70 %.
            "--heap-tolerance", "50",
        ], output, log);

        TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s\n{output}\n{log}");
        Assert.True(exit == 0, $"soak exit {exit}\n{output}\n{log}\n{app.Output}");
        Assert.Contains("verdict          held", output.ToString(), StringComparison.Ordinal);
        // Orders flowed to open tabs, so "none missed" means something.
        Assert.DoesNotMatch(@"orders\s+\d+ written, 0 deliveries", output.ToString());
    }
}
