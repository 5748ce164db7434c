using System.Text.Json;
using MerchantPortal.Bench.Probe;
using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Tests.Sweep;

public sealed class SweepRowTests
{
    private static readonly ProbeFigures Figures = new()
    {
        Requested = 1_000,
        Held = 998,
        DroppedDuringHold = 1,
        Failures = [("start: refused", 1), ("page: timeout", 1)],
        Merchants = 100,
        StartupDuration = TimeSpan.FromSeconds(4),
        HoldDuration = TimeSpan.FromSeconds(20),
        PingsSent = 0,
        UncleanDisconnects = 0,
        AppRssBefore = 100L * 1024 * 1024,
        AppRssHeld = (100L * 1024 * 1024) + (998L * 300 * 1024),
        AppCpuSecondsDuringHold = 2,
        AppHeapBefore = new ManagedHeapReading(40L * 1024 * 1024, null),
        AppHeapHeld = new ManagedHeapReading((40L * 1024 * 1024) + (998L * 400 * 1024), null),
        IdleCommandsPerSecond = 1.25,
        ProbeRssBefore = 50L * 1024 * 1024,
        ProbeRssHeld = (50L * 1024 * 1024) + (998L * 60 * 1024),
        ProbeHeapBefore = 20L * 1024 * 1024,
        ProbeHeapHeld = (20L * 1024 * 1024) + (998L * 15 * 1024),
        ProbeCpuSecondsDuringStartup = 0.998,
        ProbeCpuSecondsDuringHold = 1,
        Load = new LoadFigures
        {
            OrdersWritten = 10,
            Duration = TimeSpan.FromSeconds(40),
            CommandsPerSecond = 12.5,
            PollerCommandsPerSecond = 1.75,
            AppCpuSeconds = 8,
            ProbeCpuSeconds = 2,
            Expected = 12,
            Missing = 2,
            LatenciesMs = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
        },
    };

    [Fact]
    public void TheFiguresOfOneRunBecomeOneRow()
    {
        var mode = Mode("push:1s");

        var row = SweepRow.From(mode, Figures, repeat: 2);

        Assert.Equal(("push:1s", "product: one change poller, every 1s", 1_000, 100, 2), (row.Mode, row.Description, row.Circuits, row.Merchants, row.Repeat));
        Assert.Equal((998, 2, 1), (row.Held, row.Failed, row.Dropped));
        Assert.Equal(249.5, row.StartupPerSecond);
        Assert.Equal(400, row.HeapPerCircuitKiB!.Value, 9);
        Assert.Equal(300, row.RssPerCircuitKiB!.Value, 9);
        Assert.Equal(1.25, row.IdleQueriesPerSecond);
        Assert.Equal(10, row.IdleCpuPercent); // 2 s of CPU in a 20 s hold
        Assert.Equal(12.5, row.WriteQueriesPerSecond);
        Assert.Equal(1.75, row.WritePollerQueriesPerSecond);
        Assert.Equal(20, row.WriteCpuPercent); // 8 s in 40 s
        Assert.Equal((10, 10, 2), (row.OrdersWritten, row.Deliveries, row.Missing));
        Assert.Equal((50d, 100d, 100d, 100d), (row.P50Ms!.Value, row.P95Ms!.Value, row.P99Ms!.Value, row.MaxMs!.Value));
        Assert.Equal(15, row.HarnessHeapPerCircuitKiB!.Value, 9);
        Assert.Equal(60, row.HarnessRssPerCircuitKiB!.Value, 9);
        Assert.Equal(1, row.HarnessStartupCpuMsPerCircuit!.Value, 9); // 0.998 s over 998 circuits
        Assert.Equal(5, row.HarnessIdleCpuPercent); // 1 s in 20 s
        Assert.Equal(5, row.HarnessWriteCpuPercent); // 2 s in 40 s
    }

    [Fact]
    public void WithoutReadingsOrAWritePhaseTheFiguresAreNull()
    {
        var mode = Mode("poll:10s");

        var row = SweepRow.From(mode, Figures with { AppHeapHeld = ManagedHeapReading.Failed("timed out"), AppRssHeld = null, AppCpuSecondsDuringHold = null, Load = null });

        Assert.Equal(1, row.Repeat);
        Assert.Null(row.HeapPerCircuitKiB);
        Assert.Null(row.RssPerCircuitKiB);
        Assert.Null(row.IdleCpuPercent);
        Assert.Null(row.WriteQueriesPerSecond);
        Assert.Null(row.P99Ms);
        Assert.Equal(0, row.Deliveries);
    }

    [Fact]
    public void ResultsJsonCarriesTheRepeatAndOlderRowsReadAsTheFirstRepeat()
    {
        var mode = Mode("push:1s");

        var json = JsonSerializer.Serialize(SweepRow.From(mode, Figures, repeat: 3));

        Assert.Contains("\"Repeat\":3", json, StringComparison.Ordinal);
        Assert.Equal(3, JsonSerializer.Deserialize<SweepRow>(json)!.Repeat);
        var older = json.Replace("\"Repeat\":3,", "", StringComparison.Ordinal);
        Assert.DoesNotContain("Repeat", older, StringComparison.Ordinal);
        Assert.Equal(1, JsonSerializer.Deserialize<SweepRow>(older)!.Repeat);
    }

    [Fact]
    public void ARepeatCountsFromOne()
    {
        var mode = Mode("push:1s");

        Assert.Throws<ArgumentOutOfRangeException>(() => SweepRow.From(mode, Figures, repeat: 0));
    }

    private static SweepMode Mode(string text) =>
        SweepMode.TryParse(text, out var mode) ? mode! : throw new ArgumentException($"not a mode: {text}", nameof(text));
}
