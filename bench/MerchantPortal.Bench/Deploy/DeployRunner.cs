using System.Diagnostics;
using System.Text;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Nodes;
using MerchantPortal.Bench.Probe;
using MerchantPortal.Bench.Reconnect;
using MerchantPortal.Bench.Sweep;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Bench.Deploy;

/// <summary>
/// A deploy under load: starts the app, opens N reconnecting dashboards, then restarts the app as an
/// operator's deploy does (SIGTERM, wait for the exit, start the new process on the same port and database)
/// and follows the storm second by second until every dashboard is live again. The sign-in cookies stay
/// valid across the restart because the Data Protection key ring lives in the database
/// (MerchantPortal/Nodes/NodeRegistration.cs, PersistKeysToDbContext), not in the process.
/// </summary>
public sealed class DeployRunner(DeployOptions options, TextWriter log)
{
    private static readonly TimeSpan FirstRenderDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CounterAttachDeadline = TimeSpan.FromSeconds(30);

    public async Task<DeployFigures> RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("merchantportal-deploy-").FullName;
        var connectionString = options.Postgres is { } server
            ? await PostgresBench.CreateDatabaseAsync(server, "mp_deploy")
            : $"Data Source={Path.Combine(folder, "portal.db")}";
        var environment = new Dictionary<string, string> { ["HOME"] = folder };
        if (options.Postgres is not null)
        {
            environment["Database__Provider"] = "PostgreSql";
        }

        var url = AppProcess.FreeLoopbackAddress();
        var output = new StringBuilder();
        Process? app = null;
        try
        {
            app = await StartAsync(connectionString, url, output, environment);
            if (options.BenchMerchants > 0)
            {
                await PrepareMerchantsAsync(connectionString, folder);
            }

            using var http = CookieHttp.CreateSharedClient();
            var sessions = await FleetSessions.SignInAsync(http, url, options.Merchants, BenchAccounts.DefaultPassword);
            await using var fleet = new DashboardFleet();
            var opening = Stopwatch.StartNew();
            var opened = await fleet.OpenAsync(sessions, options.Circuits, options.Concurrency, FirstRenderDeadline);
            await log.WriteLineAsync($"deploy: {opened} of {options.Circuits} dashboards live after {opening.Elapsed.TotalSeconds:F1} s; holding {options.Hold.TotalSeconds:F0} s");
            await Task.Delay(options.Hold);
            var figures = await RestartAsync(app, connectionString, url, output, environment, fleet, opened);
            app = figures.App;
            if (figures.Figures.SigtermToAllLive is null)
            {
                await log.WriteLineAsync($"deploy: not every dashboard came back; app output:\n{AppProcess.Read(output)}");
            }

            await fleet.CloseAsync(options.Concurrency);
            return figures.Figures;
        }
        catch
        {
            await log.WriteLineAsync($"deploy: app output:\n{AppProcess.Read(output)}");
            throw;
        }
        finally
        {
            await AppProcess.StopAsync(app);
            if (options.Postgres is not null)
            {
                await PostgresBench.DropDatabaseAsync(connectionString);
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<(Process App, DeployFigures Figures)> RestartAsync(Process old, string connectionString, Uri url, StringBuilder output,
        Dictionary<string, string> environment, DashboardFleet fleet, int opened)
    {
        var upBefore = fleet.CameUpAt.Count;
        var storm = Stopwatch.StartNew();
        var stormStart = Stopwatch.GetTimestamp();
        await SigtermAsync(old);
        await old.WaitForExitAsync();
        var stopped = storm.Elapsed;
        await log.WriteLineAsync($"deploy: the old process exited {stopped.TotalSeconds:F1} s after SIGTERM (code {old.ExitCode}); {fleet.Live} dashboards live");
        if (old.ExitCode != 0)
        {
            // A deploy must stop cleanly; what the old process said last tells why it did not.
            var said = AppProcess.Read(output);
            await log.WriteLineAsync($"deploy: the old process's last output:\n{said[Math.Max(0, said.Length - 4000)..]}");
        }

        var app = AppProcess.Start(connectionString, ["--urls", url.ToString().TrimEnd('/')], output, environment);
        var serving = WhenServingAsync(app, url, output, storm);
        // Attached once the new process serves: an EventPipe session started while the runtime is still
        // starting hung the start here. Commands of the start itself (migration check, key ring) are left out.
        var attaching = AttachCounterAsync(app.Id, serving);

        // One sample a second until every opened dashboard is live again (or the deadline).
        var cpuPercent = new List<double>();
        var live = new List<int>();
        var lastCpu = 0.0;
        var lastSample = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        TimeSpan? allLive = null;
        while (storm.Elapsed < options.Deadline && await timer.WaitForNextTickAsync())
        {
            var cpu = ProcStats.ReadCpuSeconds(app.Id) ?? lastCpu;
            cpuPercent.Add(100 * (cpu - lastCpu) / lastSample.Elapsed.TotalSeconds);
            lastCpu = cpu;
            lastSample.Restart();
            live.Add(fleet.Live);
            if (live.Count % 5 == 0)
            {
                await log.WriteLineAsync($"deploy: {storm.Elapsed.TotalSeconds:F0} s after SIGTERM: {fleet.Live} of {opened} live, {fleet.Failures.Total} failed, app CPU {cpuPercent[^1]:F0} %");
            }

            if (fleet.Live >= opened && fleet.Outages.Count >= opened)
            {
                allLive = storm.Elapsed;
                break;
            }
        }

        await using var commands = await attaching;
        // Settled: the intervals up to now are in (the counter publishes whole seconds, so up to 2 s after the last start).
        double? commandsDuringStorm = commands is null ? null : (await commands.ReadSettledAsync(CancellationToken.None)).Total;
        var outages = fleet.Outages.Select(o => o.TotalMilliseconds).Order().ToList();
        var starts = fleet.CameUpAt.Skip(upBefore)
            .GroupBy(t => (int)Stopwatch.GetElapsedTime(stormStart, t).TotalSeconds)
            .ToDictionary(g => g.Key, g => g.Count());
        var dashboards = fleet.Dashboards;
        var figures = new DeployFigures
        {
            Requested = options.Circuits,
            Opened = opened,
            Provider = options.Postgres is null ? "SQLite" : "PostgreSQL",
            SigtermToExit = stopped,
            OldExitCode = old.ExitCode,
            SigtermToServing = await serving,
            SigtermToAllLive = allLive,
            Outages = outages,
            NotLiveAtEnd = opened - fleet.Live,
            Failures = fleet.Failures.Grouped(),
            StartRetries = fleet.StartRetries.Grouped(),
            Attempts = dashboards.Sum(d => d.Attempts),
            Reloads = dashboards.Sum(d => d.Reloads),
            Drops = dashboards.Sum(d => d.Drops),
            StartsPerSecond = [.. Enumerable.Range(0, starts.Count == 0 ? 0 : starts.Keys.Max() + 1).Select(s => starts.GetValueOrDefault(s))],
            AppCpuPercentPerSecond = cpuPercent,
            AppCommands = commandsDuringStorm,
        };
        return (app, figures);
    }

    private static async Task<Process> StartAsync(string connectionString, Uri url, StringBuilder output, Dictionary<string, string> environment)
    {
        var app = AppProcess.Start(connectionString, ["--urls", url.ToString().TrimEnd('/')], output, environment);
        await AppProcess.WaitUntilServingAsync(app, url, output);
        return app;
    }

    private async Task PrepareMerchantsAsync(string connectionString, string folder)
    {
        if (options.Postgres is not null)
        {
            await PostgresBench.PrepareMerchantsAsync(connectionString, options.BenchMerchants, BenchAccounts.DefaultPassword);
        }
        else
        {
            // The running app has migrated the file and created its roles; prepare-db writes beside it.
            await BenchDatabase.PrepareAsync(Path.Combine(folder, "portal.db"), options.BenchMerchants, BenchAccounts.DefaultPassword);
        }
    }

    /// <summary>When the new process first served /Account/Login, measured from SIGTERM.</summary>
    private static async Task<TimeSpan> WhenServingAsync(Process app, Uri url, StringBuilder output, Stopwatch storm)
    {
        await AppProcess.WaitUntilServingAsync(app, url, output);
        return storm.Elapsed;
    }

    /// <summary>The new process's database command counter, from when it first served.</summary>
    private async Task<AppCommandCounter?> AttachCounterAsync(int pid, Task serving)
    {
        await serving;
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < CounterAttachDeadline)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                return await AppCommandCounter.StartAsync(pid, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e) when (e is Microsoft.Diagnostics.NETCore.Client.ServerNotAvailableException or IOException or TimeoutException
                or UnauthorizedAccessException or Microsoft.Diagnostics.NETCore.Client.UnsupportedCommandException)
            {
                await Task.Delay(50); // the runtime has not opened its diagnostic port yet
            }
        }

        await log.WriteLineAsync("deploy: could not attach to the new process's command counter; no command figures");
        return null;
    }

    /// <summary>What systemd or an orchestrator sends to stop a service: SIGTERM, so the host shuts down gracefully.</summary>
    private static async Task SigtermAsync(Process process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync();
    }
}
