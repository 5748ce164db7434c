using System.Globalization;
using System.Text;

namespace MerchantPortal.Bench.Probe;

/// <summary>Plain text, one figure a line, so runs can be pasted side by side and diffed.</summary>
public static class ProbeReport
{
    private const double MiB = 1024 * 1024;

    public static string Format(ProbeFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var failed = figures.Failures.Sum(f => f.Count);
        var text = new StringBuilder();
        Line(text, $"circuits: requested {figures.Requested}, held {figures.Held}, failed {failed}, dropped during hold {figures.DroppedDuringHold} ({figures.Merchants} merchant sign-ins)");
        foreach (var (reason, count) in figures.Failures)
        {
            Line(text, $"  {count} x {reason}");
        }

        var seconds = figures.StartupDuration.TotalSeconds;
        var rate = seconds > 0 ? figures.Held / seconds : 0;
        Line(text, $"start-up: {rate:F1} circuits/s ({figures.Held} held in {seconds:F1} s, first render included)");
        Line(text, $"hold: {figures.HoldDuration.TotalSeconds:F1} s, {figures.PingsSent} keep-alive pings sent; disconnect: {figures.UncleanDisconnects} unclean");
        if (figures.AppRssBefore is { } before)
        {
            Line(text, $"app RSS: before {Mb(before)}, held {Mb(figures.AppRssHeld)}, after disconnect {Mb(figures.AppRssAfter)}");
            if (figures.AppRssHeld is { } held && figures.Held > 0)
            {
                Line(text, $"app RSS per held circuit: {(held - before) / (double)figures.Held / 1024:F1} KiB");
            }
        }

        if (figures.AppHeapBefore is { } heapBefore && figures.AppHeapHeld is { } heapHeld)
        {
            ManagedHeap(text, heapBefore, heapHeld, figures.Held);
        }

        if (figures.AppCpuSecondsDuringHold is { } cpu && figures.HoldDuration > TimeSpan.Zero)
        {
            Line(text, $"app CPU during hold: {cpu:F2} s = {100 * cpu / figures.HoldDuration.TotalSeconds:F1} % of one core");
        }

        if (figures.IdleCommandsPerSecond is { } idleCommands)
        {
            Line(text, $"app database commands while idle: {idleCommands:F2}/s (change poller {figures.IdlePollerCommandsPerSecond:F2}/s)");
        }

        if (figures.Load is { } load)
        {
            Load(text, load);
        }

        Harness(text, figures);
        return text.ToString();
    }

    /// <summary>The load client's own cost: it shares the cores with the app, so it has to stay light.</summary>
    private static void Harness(StringBuilder text, ProbeFigures figures)
    {
        Line(text, $"harness RSS: before {Mb(figures.ProbeRssBefore)}, held {Mb(figures.ProbeRssHeld)}, after disconnect {Mb(figures.ProbeRssAfter)}");
        if (PerCircuitKiB(figures.ProbeRssBefore, figures.ProbeRssHeld, figures.Held) is { } rss)
        {
            Line(text, $"harness RSS per held circuit: {rss:F1} KiB");
        }

        if (PerCircuitKiB(figures.ProbeHeapBefore, figures.ProbeHeapHeld, figures.Held) is { } heap)
        {
            Line(text, $"harness managed heap after a full GC: before {Mb(figures.ProbeHeapBefore)}, held {Mb(figures.ProbeHeapHeld)}; per held circuit {heap:F1} KiB");
        }

        if (figures.ProbeCpuSecondsDuringStartup is { } startup && figures.Held > 0)
        {
            Line(text, $"harness CPU opening the circuits: {startup:F2} s = {1000 * startup / figures.Held:F2} ms per held circuit");
        }

        if (figures.ProbeCpuSecondsDuringHold is { } hold && figures.HoldDuration > TimeSpan.Zero)
        {
            Line(text, $"harness CPU during hold: {hold:F2} s = {100 * hold / figures.HoldDuration.TotalSeconds:F1} % of one core");
        }

        if (figures.Load is { ProbeCpuSeconds: { } writing, Duration: var duration } && duration > TimeSpan.Zero)
        {
            Line(text, $"harness CPU while writing (order writer included): {writing:F2} s = {100 * writing / duration.TotalSeconds:F1} % of one core");
        }
    }

    /// <summary>Growth from before to held, per held circuit, in KiB; null when a reading is missing.</summary>
    public static double? PerCircuitKiB(long? before, long? held, int circuits) =>
        before is { } b && held is { } h && circuits > 0 ? (h - b) / 1024.0 / circuits : null;

    private static void Load(StringBuilder text, LoadFigures load)
    {
        var seconds = load.Duration.TotalSeconds;
        Line(text, $"writes: {load.OrdersWritten} orders in {seconds:F1} s (delivery tail included); {load.Expected} deliveries expected, {load.Missing} missing");
        if (load.CommandsPerSecond is { } commands)
        {
            Line(text, $"app database commands while writing: {commands:F2}/s (change poller {load.PollerCommandsPerSecond:F2}/s)");
        }

        if (load.AppCpuSeconds is { } cpu && seconds > 0)
        {
            Line(text, $"app CPU while writing: {cpu:F2} s = {100 * cpu / seconds:F1} % of one core");
        }

        if (load.LatenciesMs.Count > 0)
        {
            Line(text, $"write-to-screen: p50 {load.Percentile(50):F0} ms, p95 {load.Percentile(95):F0} ms, p99 {load.Percentile(99):F0} ms, max {load.LatenciesMs[^1]:F0} ms ({load.LatenciesMs.Count} deliveries)");
        }
    }

    private static void ManagedHeap(StringBuilder text, ManagedHeapReading before, ManagedHeapReading held, int circuits)
    {
        if (before.Bytes is not { } b || held.Bytes is not { } h)
        {
            Line(text, $"app managed heap: unavailable ({before.Unavailable ?? held.Unavailable})");
            return;
        }

        Line(text, $"app managed heap after a full GC: before {Mb(b)}, held {Mb(h)}");
        if (circuits > 0)
        {
            Line(text, $"app managed heap per held circuit: {(h - b) / (double)circuits / 1024:F1} KiB");
        }
    }

    private static string Mb(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / MiB:F1} MiB") : "n/a";

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
