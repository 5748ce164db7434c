using System.Diagnostics;
using System.Globalization;
using System.Text;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Sweep;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace MerchantPortal.Bench.Floor;

/// <summary>
/// Issue 16 target 2 in one run: N anonymous circuits on bench/MinimalCircuit (the floor) and N
/// dashboards of merchants with every alert on, interleaved (floor, app, floor, app, ...), each in a
/// fresh process; heap per circuit after a full GC, the ratio, idle CPU, and by type what the
/// dashboard holds above the floor. Exit 0 when every circuit of every run was held to the end.
/// </summary>
public static class FloorCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        var options = FloorOptions.Parse(args, out var error);
        if (options is null)
        {
            await log.WriteLineAsync($"floor: {error}\n{FloorOptions.Usage}");
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("merchantportal-floor-").FullName;
        var phases = new List<FloorPhase>();
        try
        {
            var url = AppProcess.FreeLoopbackAddress();
            var template = Path.Combine(work, "template.db");
            await PrepareAsync(template, url, options, log);
            for (var repeat = 1; repeat <= options.Repeats; repeat++)
            {
                phases.Add(await FloorAsync(options, repeat, url, log));
                phases.Add(await DashboardsAsync(options, repeat, template, Path.Combine(work, "run.db"), url, log, variant: false));
                if (options.HasVariant)
                {
                    phases.Add(await DashboardsAsync(options, repeat, template, Path.Combine(work, "run.db"), url, log, variant: true));
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }

        var report = FloorReport.Format(options, phases);
        await output.WriteAsync(report);
        if (options.Out is { } folder)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"floor-{options.Circuits}.txt")), report);
        }

        return phases.All(p => p.Held == p.Circuits && p.Dropped == 0) ? 0 : 1;
    }

    private static async Task PrepareAsync(string template, Uri url, FloorOptions options, TextWriter log)
    {
        var appOutput = new StringBuilder();
        var app = AppProcess.Start($"Data Source={template}", ["--urls", url.ToString()], appOutput);
        try
        {
            await AppProcess.WaitUntilServingAsync(app, url, appOutput);
        }
        finally
        {
            await AppProcess.StopAsync(app);
        }

        await BenchDatabase.PrepareAsync(template, options.Merchants, BenchAccounts.DefaultPassword);
        var switched = options.Alerts ? await AlertsOnUsers.SwitchOnAsync(template) : 0;
        SqliteConnection.ClearAllPools();
        await log.WriteLineAsync($"floor: {options.Merchants} bench merchants, alerts on for {switched} users; armed ping every {options.PingEvery.TotalSeconds:F0} s");
    }

    private static async Task<FloorPhase> FloorAsync(FloorOptions options, int repeat, Uri url, TextWriter log)
    {
        var appOutput = new StringBuilder();
        var app = await MinimalApp.StartAsync(url, appOutput);
        try
        {
            using var http = CookieHttp.CreateSharedClient();
            MerchantSession[] sessions = [MerchantSession.Anonymous(http, url)];
            return await FloorPhase.MeasureAsync("floor", repeat, app.Id, options.Circuits, options.Settle, options.Idle,
                () => CircuitSet.OpenAsync(sessions, options.Circuits, _ => "", set => set.Callbacks), log);
        }
        finally
        {
            await AppProcess.StopAsync(app);
        }
    }

    private static async Task<FloorPhase> DashboardsAsync(FloorOptions options, int repeat, string template, string database, Uri url, TextWriter log, bool variant)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
            if (File.Exists(template + suffix))
            {
                File.Copy(template + suffix, database + suffix);
            }
        }

        var appOutput = new StringBuilder();
        var environment = new Dictionary<string, string> { ["Logging__LogLevel__MerchantPortal"] = "Warning" };
        var ping = options.Ping;
        if (variant)
        {
            foreach (var (key, value) in options.VariantEnvironment)
            {
                environment[key] = value;
            }

            ping = options.VariantPing ?? ping;
        }

        var app = AppProcess.Start($"Data Source={database}", ["--urls", url.ToString()], appOutput, environment);
        await using var browser = new AlertsOnBrowser(ping, options.PingEvery);
        try
        {
            await AppProcess.WaitUntilServingAsync(app, url, appOutput);
            using var http = CookieHttp.CreateSharedClient();
            var sessions = new MerchantSession[options.Merchants];
            await Parallel.ForAsync(0, sessions.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
                sessions[i] = await MerchantSession.SignInAsync(http, url, BenchAccounts.Email(i + 1), BenchAccounts.DefaultPassword, ct));
            var kind = (options.Alerts ? ping ? "alerts on" : "alerts on, no ping" : "alerts off")
                + (variant && options.VariantEnvironment.Count > 0 ? ", " + string.Join(", ", options.VariantEnvironment.Select(e => $"{e.Key}={e.Value}")) : "");
            var phase = await FloorPhase.MeasureAsync(kind, repeat, app.Id, options.Circuits, options.Settle, options.Idle,
                () => CircuitSet.OpenAsync(sessions, options.Circuits, _ => "",
                    set => options.Alerts ? browser.Wrap(set.Callbacks) : set.Callbacks), log);
            await log.WriteLineAsync($"floor: {kind} #{repeat}: {browser.Armed} armed checks, {browser.Calls} alert calls answered, " +
                $"{browser.PingsSent} pings sent, {browser.PingsAnswered} answered alive, {browser.PingsRefused} refused");
            var warnings = AppProcess.Read(appOutput).Split('\n').Count(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal));
            if (warnings > 0)
            {
                await log.WriteLineAsync($"floor: {kind} #{repeat}: the app logged {warnings} warnings or errors:\n{AppProcess.Read(appOutput)}");
            }

            return phase;
        }
        finally
        {
            await AppProcess.StopAsync(app);
        }
    }
}
