using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

public sealed class ProbeReportTests
{
    private static readonly ProbeFigures Figures = new()
    {
        Requested = 10,
        Held = 8,
        DroppedDuringHold = 0,
        Failures = [("start: InvalidOperationException: refused", 2)],
        Merchants = 1,
        StartupDuration = TimeSpan.FromSeconds(2),
        HoldDuration = TimeSpan.FromSeconds(20),
        PingsSent = 8,
        UncleanDisconnects = 0,
        AppRssBefore = 100L * 1024 * 1024,
        AppRssHeld = 100L * 1024 * 1024 + 8 * 512 * 1024,
        AppRssAfter = 101L * 1024 * 1024,
        AppCpuSecondsDuringHold = 5,
        AppHeapBefore = new ManagedHeapReading(40L * 1024 * 1024, null),
        AppHeapHeld = new ManagedHeapReading(40L * 1024 * 1024 + 8 * 100 * 1024, null),
        ProbeRssBefore = 40L * 1024 * 1024,
        ProbeRssHeld = 40L * 1024 * 1024 + 8 * 64 * 1024,
        ProbeRssAfter = null,
        ProbeHeapBefore = 10L * 1024 * 1024,
        ProbeHeapHeld = 10L * 1024 * 1024 + 8 * 16 * 1024,
        ProbeCpuSecondsDuringStartup = 0.4,
        ProbeCpuSecondsDuringHold = 1,
    };

    [Fact]
    public void FailuresAreListedWithTheirCounts()
    {
        var report = ProbeReport.Format(Figures);
        Assert.Contains("requested 10, held 8, failed 2", report, StringComparison.Ordinal);
        Assert.Contains("  2 x start: InvalidOperationException: refused", report, StringComparison.Ordinal);
        Assert.Contains("4.0 circuits/s (8 held in 2.0 s", report, StringComparison.Ordinal);
    }

    [Fact]
    public void AppFiguresAreDerivedFromTheReadings()
    {
        var report = ProbeReport.Format(Figures);
        Assert.Contains("app RSS per held circuit: 512.0 KiB", report, StringComparison.Ordinal);
        Assert.Contains("5.00 s = 25.0 % of one core", report, StringComparison.Ordinal);
        Assert.Contains("after disconnect n/a", report, StringComparison.Ordinal);
        Assert.Contains("app managed heap after a full GC: before 40.0 MiB, held 40.8 MiB", report, StringComparison.Ordinal);
        Assert.Contains("app managed heap per held circuit: 100.0 KiB", report, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHarnessReportsItsOwnCostPerCircuit()
    {
        var report = ProbeReport.Format(Figures with
        {
            Load = new LoadFigures { OrdersWritten = 1, Duration = TimeSpan.FromSeconds(10), ProbeCpuSeconds = 0.5, Expected = 1, Missing = 0, LatenciesMs = [5] },
        });
        Assert.Contains("harness RSS: before 40.0 MiB, held 40.5 MiB, after disconnect n/a", report, StringComparison.Ordinal);
        Assert.Contains("harness RSS per held circuit: 64.0 KiB", report, StringComparison.Ordinal);
        Assert.Contains("harness managed heap after a full GC: before 10.0 MiB, held 10.1 MiB; per held circuit 16.0 KiB", report, StringComparison.Ordinal);
        Assert.Contains("harness CPU opening the circuits: 0.40 s = 50.00 ms per held circuit", report, StringComparison.Ordinal);
        Assert.Contains("harness CPU during hold: 1.00 s = 5.0 % of one core", report, StringComparison.Ordinal);
        Assert.Contains("harness CPU while writing (order writer included): 0.50 s = 5.0 % of one core", report, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreadableHeapIsReportedWithItsReason()
    {
        var report = ProbeReport.Format(Figures with { AppHeapHeld = ManagedHeapReading.Failed("timed out") });
        Assert.Contains("app managed heap: unavailable (timed out)", report, StringComparison.Ordinal);
        Assert.DoesNotContain("managed heap per held circuit", report, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnAppPidNoAppFiguresArePrinted()
    {
        var report = ProbeReport.Format(Figures with { AppRssBefore = null, AppRssHeld = null, AppRssAfter = null, AppCpuSecondsDuringHold = null, AppHeapBefore = null, AppHeapHeld = null });
        Assert.DoesNotContain("app ", report, StringComparison.Ordinal);
    }
}
