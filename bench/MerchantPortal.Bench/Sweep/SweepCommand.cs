using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MerchantPortal.Bench.Probe;
using MerchantPortal.Tests.Infrastructure;
using MerchantPortal.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// The whole benchmark in one command: prepares a database with the bench merchants once per database
/// (SQLite file; PostgreSQL in a cluster of the sweep's own, stopped and deleted at the end, also on
/// Ctrl+C), then for every size, database and mode, --repeats times (see <see cref="SweepRun.Plan"/> for
/// the order), starts a fresh app process on a copy of it, runs the probe (open N dashboards, idle window,
/// heap reading, one write window per rate),
/// stops the app, and rewrites results.json (every run), results.md and the charts (medians and ranges)
/// after every run, so an interrupted sweep keeps what it measured.
/// Exit 0 when every run held all its circuits, 1 otherwise, 2 for bad arguments or machine limits.
/// </summary>
public static class SweepCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        var options = SweepOptions.Parse(args, out var error);
        if (options is null)
        {
            await log.WriteLineAsync($"sweep: {error}\n{SweepOptions.Usage}");
            return 2;
        }

        // Each circuit is a socket in both processes; the app inherits this process's limit.
        var needed = options.Sizes.Max() + 1_000;
        if (OpenFileLimit() is { } limit && limit < needed)
        {
            await log.WriteLineAsync($"sweep: the open-file limit is {limit}, {options.Sizes.Max()} circuits need about {needed}; run `ulimit -n 65536` first");
            return 2;
        }

        Directory.CreateDirectory(options.Output);
        var work = Directory.CreateTempSubdirectory("merchantportal-sweep-").FullName;
        SweepPostgres? postgres = null;
        // Ctrl+C or a kill: the cluster runs detached from this process and would outlive it with its files.
        var cleanedUp = 0;
        void CleanUp()
        {
            if (Interlocked.Exchange(ref cleanedUp, 1) == 0)
            {
                postgres?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                SqliteConnection.ClearAllPools();
                Directory.Delete(work, recursive: true);
            }
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => CleanUp());
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => CleanUp());
        try
        {
            var url = AppProcess.FreeLoopbackAddress();
            var template = Path.Combine(work, "template.db");
            if (options.Databases.Contains(SweepDatabase.Sqlite))
            {
                await PrepareTemplateAsync(SweepDatabase.Sqlite, template, url, options.Merchants, log);
            }

            if (options.Databases.Contains(SweepDatabase.Postgres))
            {
                await log.WriteLineAsync("sweep: starting a PostgreSQL cluster of the sweep's own");
                postgres = await SweepPostgres.StartAsync(AppProcess.FreeLoopbackAddress().Port);
                await PrepareTemplateAsync(SweepDatabase.Postgres, postgres.ConnectionString(SweepPostgres.Template), url, options.Merchants, log);
            }

            var rows = new List<SweepRow>();
            var runs = SweepRun.Plan(options);
            var finished = 0;
            foreach (var run in runs)
            {
                var runRows = await RunOneAsync(options, run, template, Path.Combine(work, "run.db"), postgres, url, output, log);
                if (runRows is not null)
                {
                    finished++;
                    rows.AddRange(runRows);
                    await WriteResultsAsync(options.Output, rows);
                }
            }

            await log.WriteLineAsync($"sweep: results in {Path.GetFullPath(options.Output)}");
            return finished == runs.Count && rows.All(r => r.Held == r.Circuits && r.Dropped == 0) ? 0 : 1;
        }
        finally
        {
            CleanUp();
        }
    }

    /// <summary>What the app needs besides the connection string: the provider, and sign-ins far above the production throttle.</summary>
    private static Dictionary<string, string> AppEnvironment(SweepDatabase database) => new()
    {
        ["Database__Provider"] = database == SweepDatabase.Postgres ? "PostgreSql" : "Sqlite",
        // A sweep signs in up to 1,000 merchants from one address within seconds (issue 15's throttle allows 3 per 30 s per account).
        ["SignInThrottle__PerAddress"] = "1000000",
        ["SignInThrottle__PerAccount"] = "1000000",
    };

    /// <summary>The app migrates an empty database (and adds its roles and demo accounts); then the bench merchants go in.</summary>
    private static async Task PrepareTemplateAsync(SweepDatabase database, string template, Uri url, int merchants, TextWriter log)
    {
        await log.WriteLineAsync($"sweep: migrating a fresh {database.Name()} database with the app, then adding {merchants} bench merchants");
        var appOutput = new StringBuilder();
        var connection = database == SweepDatabase.Postgres ? template : $"Data Source={template}";
        var app = AppProcess.Start(connection, ["--urls", url.ToString()], appOutput, AppEnvironment(database));
        try
        {
            await AppProcess.WaitUntilServingAsync(app, url, appOutput);
        }
        finally
        {
            await AppProcess.StopAsync(app);
        }

        var result = database == SweepDatabase.Postgres
            ? await BenchDatabase.PrepareAsync(new NpgsqlConnectionStringBuilder(template), merchants, BenchAccounts.DefaultPassword)
            : await BenchDatabase.PrepareAsync(template, merchants, BenchAccounts.DefaultPassword);
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        await log.WriteLineAsync($"sweep: {result.MerchantsAdded} merchants and {result.UsersAdded} users added");
    }

    /// <summary>One app process on a fresh copy of the template; its rows, one per write rate, or null when sign-in failed.</summary>
    private static async Task<IReadOnlyList<SweepRow>?> RunOneAsync(SweepOptions options, SweepRun run, string template, string sqliteFile,
        SweepPostgres? postgres, Uri url, TextWriter output, TextWriter log)
    {
        var (size, mode) = (run.Size, run.Mode);
        string connection, database;
        if (run.Database == SweepDatabase.Postgres)
        {
            await postgres!.FreshRunDatabaseAsync();
            connection = database = postgres.ConnectionString(SweepPostgres.Run);
        }
        else
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(sqliteFile + suffix);
                if (File.Exists(template + suffix))
                {
                    File.Copy(template + suffix, sqliteFile + suffix);
                }
            }

            (connection, database) = ($"Data Source={sqliteFile}", sqliteFile);
        }

        await log.WriteLineAsync($"sweep: {run.Label}: {run.Database.Name()}, {mode.Description}, {size:N0} dashboards over {Math.Min(size, options.Merchants):N0} merchants");
        var environment = new Dictionary<string, string>(mode.Environment)
        {
            ["Logging__LogLevel__MerchantPortal"] = "Warning",
        };
        foreach (var (key, value) in AppEnvironment(run.Database))
        {
            environment[key] = value;
        }

        var appOutput = new StringBuilder();
        var app = AppProcess.Start(connection, ["--urls", url.ToString()], appOutput, environment);
        var clock = Stopwatch.StartNew();
        try
        {
            await AppProcess.WaitUntilServingAsync(app, url, appOutput);
            var probe = new ProbeOptions(url, size, app.Id, BenchAccounts.Emails(Math.Min(size, options.Merchants)),
                BenchAccounts.DefaultPassword, options.Concurrency, options.Idle, TimeSpan.FromSeconds(60))
            {
                Database = database,
                DatabaseProvider = run.Database == SweepDatabase.Postgres ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite,
                WriteRates = options.WriteRates,
                WriteFor = options.WriteFor,
            };
            var figures = await new ProbeRunner(probe, log).RunAsync();
            if (figures is null)
            {
                await log.WriteLineAsync($"sweep: {run.Label}: sign-in failed; app output:\n{AppProcess.Read(appOutput)}");
                return null;
            }

            await output.WriteAsync($"== {run.Database.Name()}, {mode.Description}, {size:N0} dashboards, repeat {run.Repeat}/{run.Repeats} ({clock.Elapsed.TotalSeconds:F0} s)\n{ProbeReport.Format(figures)}\n");
            foreach (var load in figures.Loads)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"write window {load.RequestedRate} orders/s: {load.OrdersWritten} written ({load.AchievedRate:F0}/s achieved), {load.LatenciesMs.Count} deliveries, {load.Missing} missing, p50 {load.Percentile(50):F0} ms, p99 {load.Percentile(99):F0} ms, {load.CommandsPerSecond:F1} app queries/s"));
            }

            if (postgres is not null && run.Database == SweepDatabase.Postgres)
            {
                var (all, discard) = await postgres.RunStatementsAsync();
                await output.WriteLineAsync($"postgres: the server ran {all:N0} statements in the run database (pg_stat_statements), {discard:N0} of them Npgsql's DISCARD ALL on reused pooled connections (not in the app's command counter)");
            }

            return SweepRow.All(run.Database, mode, figures, run.Repeat);
        }
        finally
        {
            await AppProcess.StopAsync(app);
        }
    }

    private static async Task WriteResultsAsync(string folder, List<SweepRow> rows)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(rows, Json));
        await File.WriteAllTextAsync(Path.Combine(folder, "results.md"), SweepReport.Markdown(rows));
        await File.WriteAllTextAsync(Path.Combine(folder, "queries-per-second.svg"), SweepReport.QueriesChart(rows));
        await File.WriteAllTextAsync(Path.Combine(folder, "p99-latency.svg"), SweepReport.LatencyChart(rows));
        if (rows.Any(r => r.P99Ms > 0))
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "p99-by-write-rate.svg"), SweepReport.LatencyByWriteRateChart(rows));
        }
    }

    /// <summary>The soft "Max open files" of this process, or null off Linux.</summary>
    private static long? OpenFileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var parts = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: > 0 } && long.TryParse(parts[0], out var soft) ? soft : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
