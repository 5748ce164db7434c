using System.Diagnostics;
using System.Globalization;
using System.Text;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using Npgsql;

namespace MerchantPortal.Tests.MultiNode;

/// <summary>
/// What the database pays for live alerts with two nodes, counted by the database itself:
/// pg_stat_statements, per node (each logs in as its own role). Each node's one poller issues one
/// change-feed query per idle interval whatever the number of open tabs, so the total is
/// nodes x 1/interval. Everything else the nodes send (heartbeats, user revalidation) is
/// counted apart and reported.
/// </summary>
[Collection(MultiNodeTests.Name)]
public sealed class DatabaseCostTests(TwoNodes nodes, BrowserFixture browsers)
{
    /// <summary>The app's default OrderNotifications:PollInterval (the fixture does not change it).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private const int TabsPerNode = 3;

    [Fact]
    public async Task EachNodeIssuesOneChangeFeedQueryPerIdleIntervalHoweverManyTabsAreOpen()
    {
        Assertions.SetDefaultExpectTimeout(3000);
        await EnableStatementCountsAsync();
        var report = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"database cost with 2 nodes, poll interval {PollInterval.TotalMilliseconds} ms, counted by pg_stat_statements per node over {Window.TotalSeconds} s:\n"));

        var withoutTabs = await CountOverWindowAsync();
        report.Append(withoutTabs.Describe("no tab open by this test"));

        var contexts = new List<IBrowserContext>();
        try
        {
            foreach (var node in nodes.Nodes)
            {
                for (var i = 0; i < TabsPerNode; i++)
                {
                    var context = await NodeTabs.ContextAsync(browsers, nodes, node);
                    contexts.Add(context);
                    var tab = await NodeTabs.OpenMerchantAsync(context, i % 2 == 0 ? "merchant1@demo.local" : "merchant2@demo.local");
                    await Assertions.Expect(NodeTabs.CircuitNode(tab.Page)).ToHaveTextAsync(node.Name);
                }
            }

            var withTabs = await CountOverWindowAsync();
            report.Append(withTabs.Describe($"{contexts.Count} tabs open, {TabsPerNode} on each node"));
            TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
            if (Environment.GetEnvironmentVariable("MERCHANTPORTAL_LATENCY_REPORT") is { Length: > 0 } path)
            {
                await File.AppendAllTextAsync(path, report.ToString(), TestContext.Current.CancellationToken);
            }

            foreach (var counts in new[] { withoutTabs, withTabs })
            {
                // One per interval: a poll waits the interval after the previous one, so a little
                // under the ideal, never over it (nothing is written, so nothing wakes it early).
                var ideal = counts.Elapsed / PollInterval;
                foreach (var node in nodes.Nodes)
                {
                    Assert.InRange(counts.FeedQueries[node.Name], 0.7 * ideal, ideal + 1);
                    // Pooled connections go back without Npgsql's reset (No Reset On Close, README).
                    Assert.DoesNotContain("DISCARD ALL", counts.Others[node.Name].Keys);
                }

                Assert.InRange(counts.FeedQueries.Values.Sum(), 2 * 0.7 * ideal, 2 * (ideal + 1));
            }
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.DisposeAsync();
            }
        }
    }

    /// <summary>The change feed's read (PostgreSqlOrderChangeFeed.ReadAsync): the only query with a lateral join on OrderChanges.</summary>
    private static bool IsChangeFeedRead(string query) =>
        query.Contains("LEFT JOIN LATERAL", StringComparison.Ordinal) && query.Contains("\"OrderChanges\"", StringComparison.Ordinal);

    private async Task<Counts> CountOverWindowAsync()
    {
        var before = await SnapshotAsync();
        var elapsed = Stopwatch.StartNew();
        // The measurement is calls over a span of time, so the span itself is waited out.
        await Task.Delay(Window, TestContext.Current.CancellationToken);
        var after = await SnapshotAsync();
        elapsed.Stop();
        var counts = new Counts(elapsed.Elapsed, nodes.Nodes.ToDictionary(n => n.Name, _ => 0L), nodes.Nodes.ToDictionary(n => n.Name, _ => new Dictionary<string, long>()));
        foreach (var ((role, queryId), (query, calls)) in after)
        {
            var delta = calls - (before.TryGetValue((role, queryId), out var earlier) ? earlier.Calls : 0);
            if (delta == 0)
            {
                continue;
            }

            var node = nodes.Nodes.Single(n => n.Role == role).Name;
            if (IsChangeFeedRead(query))
            {
                counts.FeedQueries[node] += delta;
            }
            else
            {
                counts.Others[node][Shorten(query)] = counts.Others[node].GetValueOrDefault(Shorten(query)) + delta;
            }
        }

        return counts;
    }

    /// <summary>Calls so far per node role and statement, for this fixture's database only.</summary>
    private async Task<Dictionary<(string Role, long QueryId), (string Query, long Calls)>> SnapshotAsync()
    {
        await using var connection = await OpenClusterAsync();
        await using var command = new NpgsqlCommand("""
            SELECT r.rolname, s.queryid, min(s.query), sum(s.calls)::bigint
            FROM pg_stat_statements AS s
            JOIN pg_roles AS r ON r.oid = s.userid
            JOIN pg_database AS d ON d.oid = s.dbid
            WHERE d.datname = $1 AND r.rolname = ANY($2)
            GROUP BY r.rolname, s.queryid
            """, connection)
        {
            Parameters = { new() { Value = nodes.DatabaseName }, new() { Value = nodes.Nodes.Select(n => n.Role).ToArray() } },
        };
        var snapshot = new Dictionary<(string, long), (string, long)>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                snapshot[(reader.GetString(0), reader.GetInt64(1))] = (reader.GetString(2), reader.GetInt64(3));
            }
        }
        catch (PostgresException e) when (e.Message.Contains("shared_preload_libraries", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "The test cluster was started without pg_stat_statements. Run the suite with `bash .ci/test` (it starts PostgreSQL with " +
                "-c shared_preload_libraries=pg_stat_statements) or add that option to your own cluster's pg_ctl -o.", e);
        }

        return snapshot;
    }

    /// <summary>The view lives in the cluster's maintenance database; the statistics cover every database.</summary>
    private static async Task EnableStatementCountsAsync()
    {
        await using var connection = await OpenClusterAsync();
        await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<NpgsqlConnection> OpenClusterAsync()
    {
        var connection = new NpgsqlConnection(PostgresTestDatabase.ConnectionStringFor("postgres") + ";Pooling=false");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static string Shorten(string query)
    {
        var line = string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 90 ? line : line[..90] + "…";
    }

    private sealed record Counts(TimeSpan Elapsed, Dictionary<string, long> FeedQueries, Dictionary<string, Dictionary<string, long>> Others)
    {
        public string Describe(string situation)
        {
            var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"  {situation} ({Elapsed.TotalSeconds:0.0} s): change-feed queries "));
            text.AppendJoin(", ", FeedQueries.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value} ({p.Value / Elapsed.TotalSeconds:0.00}/s)")));
            text.Append(CultureInfo.InvariantCulture, $"; total {FeedQueries.Values.Sum() / Elapsed.TotalSeconds:0.00}/s\n");
            foreach (var (node, others) in Others)
            {
                text.Append(CultureInfo.InvariantCulture, $"    other statements of {node}: {others.Values.Sum()}");
                text.Append(others.Count == 0 ? "\n" : ": " + string.Join("; ", others.OrderByDescending(p => p.Value).Select(p => $"{p.Value} x {p.Key}")) + "\n");
            }

            return text.ToString();
        }
    }
}
