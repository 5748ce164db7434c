using System.Diagnostics;
using System.Text.Json;
using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Tests.Sweep;

/// <summary>
/// One real sweep on PostgreSQL, the way an operator runs it: its own cluster, the app migrating the
/// template, a fresh copy for the run, NOTIFY on, two write rates in the same app.
/// </summary>
public sealed class PostgresSweepTests
{
    [Fact]
    public async Task ASweepOnPostgreSqlWithNotifyMeasuresBothWriteRatesAndLeavesNoClusterBehind()
    {
        var results = Directory.CreateTempSubdirectory("merchantportal-sweep-test-").FullName;
        var clustersBefore = Clusters();
        using var output = new StringWriter();
        using var log = new StringWriter();
        var clock = Stopwatch.StartNew();
        try
        {
            // A 10 s poll interval: without the NOTIFY, deliveries would take up to 10 s; with it, well under.
            var exit = await SweepCommand.RunAsync(
                ["--databases", "postgres", "--modes", "push:10s+notify", "--sizes", "40", "--merchants", "20",
                 "--write-rates", "10,200", "--idle", "1s", "--write-for", "2s", "--out", results], output, log);

            var report = $"{log}\n{output}";
            Assert.True(exit == 0, report);
            var rows = JsonSerializer.Deserialize<List<SweepRow>>(await File.ReadAllTextAsync(Path.Combine(results, "results.json"), TestContext.Current.CancellationToken))!;
            Assert.Equal([10, 200], rows.Select(r => r.WriteRate));
            Assert.All(rows, r =>
            {
                Assert.Equal(("postgres", "push:10s+notify", 40, 40), (r.Database, r.Mode, r.Circuits, r.Held));
                Assert.True(r.OrdersWritten > 0 && r.Missing == 0 && r.Deliveries > 0, report);
                Assert.True(r.AchievedRate > 0, report);
                Assert.True(r.MaxMs < 5_000, $"max {r.MaxMs} ms is the poll interval's, not NOTIFY's\n{report}");
                Assert.True(r.WriteQueriesPerSecond > 0, report);
            });
            Assert.Contains("DISCARD ALL", output.ToString(), StringComparison.Ordinal);
            foreach (var file in new[] { "results.md", "queries-per-second.svg", "p99-latency.svg", "p99-by-write-rate.svg" })
            {
                Assert.True(File.Exists(Path.Combine(results, file)), file);
            }

            Assert.Equal(clustersBefore, Clusters());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"took {clock.Elapsed}");
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    /// <summary>The sweep's cluster folders in the temporary folder (another test's sweep may own some).</summary>
    private static HashSet<string> Clusters() =>
        [.. Directory.GetDirectories(Path.GetTempPath(), "merchantportal-sweep-pg-*")];
}
