using System.Diagnostics;
using System.Globalization;
using System.Text;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Probe;
using MerchantPortal.Bench.Sweep;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Bench.Floor;

/// <summary>
/// Issue 16 target 3's floor: N idle circuits of bench/MinimalCircuit's /push page, circuit i in group
/// i mod groups (as the sweep's dashboard i shows merchant i mod merchants), and pushes at each rate to
/// random groups with no database at all, each timed like the app's write-to-screen with the same
/// <see cref="DeliveryTracker"/>: from just before the push request to the render batch carrying its marker.
/// </summary>
public static class PushFloorCommand
{
    public const string Usage =
        "usage: MerchantPortal.Bench push-floor --circuits <N> [--groups 1000] [--rates 10,500] [--for 20s] [--settle 10s] [--repeats 1] [--out <folder>]";

    private static readonly TimeSpan DrainDeadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan HeapTimeout = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        var options = Parse(args, out var error);
        if (options is null)
        {
            await log.WriteLineAsync($"push-floor: {error}\n{Usage}");
            return 2;
        }

        var runs = new List<PushRun>();
        var heldAll = true;
        for (var repeat = 1; repeat <= options.Repeats; repeat++)
        {
            heldAll &= await RunOnceAsync(options, repeat, runs, log);
        }

        var report = Format(options, runs);
        await output.WriteAsync(report);
        if (options.Out is { } folder)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"push-floor-{options.Circuits}.txt")), report);
        }

        return heldAll && runs.All(r => r.Missing == 0) ? 0 : 1;
    }

    private static async Task<bool> RunOnceAsync(PushFloorOptions options, int repeat, List<PushRun> runs, TextWriter log)
    {
        var url = AppProcess.FreeLoopbackAddress();
        var appOutput = new StringBuilder();
        var app = await MinimalApp.StartAsync(url, appOutput);
        try
        {
            using var http = CookieHttp.CreateSharedClient();
            MerchantSession[] sessions = [MerchantSession.Anonymous(http, url)];
            var heapBefore = await ManagedHeapReader.ReadAfterFullGcAsync(app.Id, HeapTimeout);
            await using var set = await CircuitSet.OpenAsync(sessions, options.Circuits,
                i => string.Create(CultureInfo.InvariantCulture, $"push?g={i % options.Groups}"), s => s.Callbacks);
            await Task.Delay(options.Settle);
            var heapHeld = await ManagedHeapReader.ReadAfterFullGcAsync(app.Id, HeapTimeout);
            var heapKiB = heapHeld.Bytes - heapBefore.Bytes is { } grown && set.Held.Count > 0 ? grown / 1024.0 / set.Held.Count : (double?)null;
            await log.WriteLineAsync($"push-floor #{repeat}: {set.Held.Count} of {options.Circuits} held; heap {heapKiB:F1} KiB/circuit after a full GC");
            // Warm-up, untimed: the first pushes pay for JIT of the endpoint and the render path, which the
            // app's figures (taken after its start-up and first renders) do not.
            await PushAsync(http, url, options.Groups, 50, TimeSpan.FromSeconds(2), new DeliveryTracker());
            foreach (var rate in options.Rates)
            {
                var tracker = new DeliveryTracker();
                for (var i = 0; i < set.Held.Count; i++)
                {
                    tracker.Add(set.HeldIndexes[i] % options.Groups, set.Held[i].Deliveries);
                }

                var cpuBefore = ProcStats.ReadCpuSeconds(app.Id);
                var clock = Stopwatch.StartNew();
                var pushed = await PushAsync(http, url, options.Groups, rate, options.For, tracker);
                await tracker.DrainAsync(DrainDeadline);
                var cpu = (ProcStats.ReadCpuSeconds(app.Id) - cpuBefore) / clock.Elapsed.TotalSeconds * 100;
                var (latencies, missing) = tracker.Results();
                latencies.Sort();
                var run = new PushRun(repeat, rate, set.Held.Count, set.Dropped, heapKiB, pushed, latencies, missing, cpu);
                runs.Add(run);
                await log.WriteLineAsync($"push-floor #{repeat}: {rate}/s: {pushed} pushes, {latencies.Count} deliveries, {missing} missing, " +
                    $"p50 {run.Percentile(50):F1} ms, p99 {run.Percentile(99):F1} ms, CPU {cpu:F0} %");
            }

            return set.Held.Count == options.Circuits && set.Dropped == 0;
        }
        finally
        {
            await AppProcess.StopAsync(app);
        }
    }

    /// <summary>
    /// Pushes at <paramref name="rate"/> to random groups for <paramref name="duration"/>, without waiting for one
    /// push's answer before the next is due (so a slow answer does not lower the rate); returns how many.
    /// </summary>
    private static async Task<int> PushAsync(HttpClient http, Uri url, int groups, int rate, TimeSpan duration, DeliveryTracker tracker)
    {
        var sending = new List<Task>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(1, 1000 / rate)));
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync())
        {
            // Catches up on the pushes due by now: a late tick does not lower the rate.
            while (sent < clock.Elapsed.TotalSeconds * rate)
            {
                var group = Random.Shared.Next(groups);
                var marker = string.Create(CultureInfo.InvariantCulture, $"Push {++sent:D7}{Random.Shared.Next(1000):D3}");
                var pushedAt = tracker.Expect(group, marker);
                sending.Add(SendAsync(http, new Uri(url, string.Create(CultureInfo.InvariantCulture, $"push/{group}?marker={Uri.EscapeDataString(marker)}")), pushedAt));
            }
        }

        await Task.WhenAll(sending);
        return sent;
    }

    private static async Task SendAsync(HttpClient http, Uri uri, Action<long> pushedAt)
    {
        pushedAt(Stopwatch.GetTimestamp());
        using var response = await http.PostAsync(uri, null);
        response.EnsureSuccessStatusCode();
    }

    private static string Format(PushFloorOptions options, List<PushRun> runs)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"push-floor: {options.Circuits:N0} idle circuits of bench/MinimalCircuit in {options.Groups:N0} groups, pushes for {options.For.TotalSeconds:F0} s per rate, {options.Repeats} repeats; push → render batch with its marker\n\n");
        text.Append("| pushes/s | runs | held / dropped | heap KiB/circuit | pushes / deliveries (missing) | p50 ms | p95 ms | p99 ms | max ms | CPU % |\n|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var cell in runs.GroupBy(r => r.Rate))
        {
            var r = cell.ToList();
            string S(Func<PushRun, double?> f, string format = "F1") => Show(Spread.OfMeasured(r.Select(f)), format);
            text.Append(CultureInfo.InvariantCulture,
                $"| {cell.Key} | {r.Count} | {S(x => x.Held, "N0")} / {S(x => x.Dropped, "N0")} | {S(x => x.HeapKiB)} | {S(x => x.Pushed, "N0")} / {S(x => x.Latencies.Count, "N0")} ({S(x => x.Missing, "N0")}) | {S(x => x.Percentile(50))} | {S(x => x.Percentile(95))} | {S(x => x.Percentile(99))} | {S(x => x.Latencies.Count > 0 ? x.Latencies[^1] : null)} | {S(x => x.CpuPercent, "F0")} |\n");
        }

        return text.ToString();
    }

    private static string Show(Spread? s, string format) =>
        s is not { } v ? "–"
        : v.Min == v.Max ? v.Median.ToString(format, CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{v.Median.ToString(format, CultureInfo.InvariantCulture)} ({v.Min.ToString(format, CultureInfo.InvariantCulture)}–{v.Max.ToString(format, CultureInfo.InvariantCulture)})");

    private static PushFloorOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var values = CommandLineArgs.Parse(args, ["--circuits", "--groups", "--rates", "--for", "--settle", "--repeats", "--out"], out error);
        if (values is null
            || !CommandLineArgs.TryPositive(values, "--circuits", null, ref error, out var circuits)
            || !CommandLineArgs.TryPositive(values, "--groups", 1000, ref error, out var groups)
            || !CommandLineArgs.TryPositive(values, "--repeats", 1, ref error, out var repeats)
            || !FloorOptions.Duration(values, "--for", 20, ref error, out var duration)
            || !FloorOptions.Duration(values, "--settle", 10, ref error, out var settle))
        {
            return null;
        }

        var rates = new List<int>();
        foreach (var part in values.GetValueOrDefault("--rates", "10,500").Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var rate) || rate <= 0)
            {
                error = $"--rates takes positive whole numbers separated by commas, not '{part}'";
                return null;
            }

            rates.Add(rate);
        }

        return new PushFloorOptions(circuits, Math.Min(groups, circuits), rates, duration, settle, repeats, values.GetValueOrDefault("--out"));
    }
}

internal sealed record PushFloorOptions(int Circuits, int Groups, IReadOnlyList<int> Rates, TimeSpan For, TimeSpan Settle, int Repeats, string? Out);

internal sealed record PushRun(int Repeat, int Rate, int Held, int Dropped, double? HeapKiB, int Pushed, List<double> Latencies, int Missing, double? CpuPercent)
{
    public double? Percentile(double p) =>
        Latencies.Count == 0 ? null : Latencies[Math.Clamp((int)Math.Ceiling(p / 100 * Latencies.Count) - 1, 0, Latencies.Count - 1)];
}
