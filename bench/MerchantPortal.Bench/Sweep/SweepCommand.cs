using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MerchantPortal.Bench.Probe;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// The whole benchmark in one command: prepares a database with the bench merchants once, then for every
/// size and mode, --repeats times (see <see cref="SweepRun.Plan"/> for the order), starts a fresh app
/// process on a copy of it, runs the probe (open N dashboards, idle window, heap reading, write phase),
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
        try
        {
            var url = AppProcess.FreeLoopbackAddress();
            var template = Path.Combine(work, "template.db");
            await PrepareTemplateAsync(template, url, options.Merchants, log);
            var rows = new List<SweepRow>();
            var runs = SweepRun.Plan(options);
            foreach (var run in runs)
            {
                var row = await RunOneAsync(options, run, template, Path.Combine(work, "run.db"), url, output, log);
                if (row is not null)
                {
                    rows.Add(row);
                    await WriteResultsAsync(options.Output, rows);
                }
            }

            await log.WriteLineAsync($"sweep: results in {Path.GetFullPath(options.Output)}");
            return rows.Count == runs.Count && rows.All(r => r.Held == r.Circuits && r.Dropped == 0) ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The app migrates an empty file (and adds its roles and demo accounts); then the bench merchants go in.</summary>
    private static async Task PrepareTemplateAsync(string template, Uri url, int merchants, TextWriter log)
    {
        await log.WriteLineAsync($"sweep: migrating a fresh database with the app, then adding {merchants} bench merchants");
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

        var result = await BenchDatabase.PrepareAsync(template, merchants, BenchAccounts.DefaultPassword);
        SqliteConnection.ClearAllPools();
        await log.WriteLineAsync($"sweep: {result.MerchantsAdded} merchants and {result.UsersAdded} users added");
    }

    private static async Task<SweepRow?> RunOneAsync(
        SweepOptions options, SweepRun run, string template, string database, Uri url, TextWriter output, TextWriter log)
    {
        var (size, mode) = (run.Size, run.Mode);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
            if (File.Exists(template + suffix))
            {
                File.Copy(template + suffix, database + suffix);
            }
        }

        await log.WriteLineAsync($"sweep: {run.Label}: {mode.Description}, {size:N0} dashboards over {Math.Min(size, options.Merchants):N0} merchants");
        var environment = new Dictionary<string, string>(mode.Environment)
        {
            ["Logging__LogLevel__MerchantPortal"] = "Warning",
        };
        var appOutput = new StringBuilder();
        var app = AppProcess.Start($"Data Source={database}", ["--urls", url.ToString()], appOutput, environment);
        var clock = Stopwatch.StartNew();
        try
        {
            await AppProcess.WaitUntilServingAsync(app, url, appOutput);
            var probe = new ProbeOptions(url, size, app.Id, BenchAccounts.Emails(Math.Min(size, options.Merchants)),
                BenchAccounts.DefaultPassword, options.Concurrency, options.Idle, TimeSpan.FromSeconds(60))
            {
                Database = database,
                WriteRate = options.WriteRate,
                WriteFor = options.WriteFor,
            };
            var figures = await new ProbeRunner(probe, log).RunAsync();
            if (figures is null)
            {
                await log.WriteLineAsync($"sweep: {run.Label}: sign-in failed; app output:\n{AppProcess.Read(appOutput)}");
                return null;
            }

            await output.WriteAsync($"== {mode.Description}, {size:N0} dashboards, repeat {run.Repeat}/{run.Repeats} ({clock.Elapsed.TotalSeconds:F0} s)\n{ProbeReport.Format(figures)}\n");
            return SweepRow.From(mode, figures, run.Repeat);
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
