using System.Diagnostics;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Probe;
using MerchantPortal.Bench.Reconnect;
using MerchantPortal.Bench.Sweep;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Bench.Nodes;

/// <summary>
/// Two app nodes on one fresh PostgreSQL database with nginx in front on the committed configuration
/// (deploy/nginx/merchantportal.conf): N dashboards through nginx (sticky by its affinity cookie, one jar
/// per merchant), an idle window and a write window (orders from this process, not from a node), with
/// each node's database commands and each process group's CPU; then the same N on node A directly, for
/// the single-node figure measured in the same run.
/// </summary>
public sealed class NodesRunner(NodesOptions options, TextWriter log)
{
    private static readonly TimeSpan FirstRenderDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<LayoutFigures>> RunAsync()
    {
        var connectionString = await PostgresBench.CreateDatabaseAsync(options.Postgres, "mp_nodes");
        var environment = new Dictionary<string, string> { ["Database__Provider"] = "PostgreSql" };
        await using var a = new PortalNode("node-a", "postgres", connectionString, environment);
        await using var b = new PortalNode("node-b", "postgres", connectionString, environment);
        NginxProcess? nginx = null;
        try
        {
            // A migrates and creates the roles; the bench merchants go in before B starts.
            await a.StartAsync();
            await PostgresBench.PrepareMerchantsAsync(connectionString, options.Merchants, BenchAccounts.DefaultPassword);
            await b.StartAsync();
            nginx = await NginxProcess.StartAsync(a.BaseAddress, b.BaseAddress, workerConnections: 4 * options.Circuits + 1024);
            var emails = BenchAccounts.Emails(options.Merchants);
            var ids = await PostgresBench.MerchantIdsAsync(connectionString, emails);
            var idByEmail = emails.Zip(ids).ToDictionary(x => x.First, x => x.Second, StringComparer.OrdinalIgnoreCase);
            var processes = new Dictionary<string, Func<IEnumerable<int>>>
            {
                ["node-a"] = () => [a.Pid],
                ["node-b"] = () => [b.Pid],
                ["nginx"] = () => ProcessCpu.WithChildren(nginx.Pid),
                ["postgres"] = () => PostgresBench.BackendPidsAsync(connectionString).GetAwaiter().GetResult(),
                ["harness"] = () => [Environment.ProcessId],
            };
            var context = new Context(connectionString, idByEmail, [a, b], processes);
            var twoNodes = await RunLayoutAsync("two nodes behind nginx", nginx.BaseAddress, context);
            var single = await RunLayoutAsync("one node (node-a directly)", a.BaseAddress, context);
            if (twoNodes.FailureCount + single.FailureCount > 0)
            {
                // A failed open (an HTTP 500, say) is the app's to explain: keep what the nodes said.
                await log.WriteLineAsync($"nodes: output:\n--- node-a\n{a.Output}\n--- node-b\n{b.Output}\n--- nginx\n{nginx.Output}");
            }

            return [twoNodes, single];
        }
        catch
        {
            await log.WriteLineAsync($"nodes: output:\n--- node-a\n{a.Output}\n--- node-b\n{b.Output}\n--- nginx\n{nginx?.Output}");
            throw;
        }
        finally
        {
            if (nginx is not null)
            {
                await nginx.DisposeAsync();
            }

            await a.DisposeAsync();
            await b.DisposeAsync();
            await PostgresBench.DropDatabaseAsync(connectionString);
        }
    }

    private sealed record Context(string ConnectionString, Dictionary<string, int> IdByEmail, PortalNode[] Nodes, Dictionary<string, Func<IEnumerable<int>>> Processes);

    private async Task<LayoutFigures> RunLayoutAsync(string layout, Uri address, Context context)
    {
        using var http = CookieHttp.CreateSharedClient();
        var sessions = await FleetSessions.SignInAsync(http, address, BenchAccounts.Emails(options.Merchants), BenchAccounts.DefaultPassword);
        await using var fleet = new DashboardFleet();
        var opening = Stopwatch.StartNew();
        var opened = await fleet.OpenAsync(sessions, options.Circuits, options.Concurrency, FirstRenderDeadline);
        await log.WriteLineAsync($"nodes: {layout}: {opened} of {options.Circuits} live after {opening.Elapsed.TotalSeconds:F1} s");
        await Task.Delay(options.Settle);

        var counters = new Dictionary<string, AppCommandCounter>();
        try
        {
            foreach (var node in context.Nodes)
            {
                counters[node.Name] = await AppCommandCounter.StartAsync(node.Pid, CancellationToken.None);
            }

            var idle = await MeasureAsync(counters, context.Processes, () => Task.Delay(options.Idle));
            await log.WriteLineAsync($"nodes: {layout}: idle {idle.Describe()}");

            var tracker = new DeliveryTracker();
            foreach (var dashboard in fleet.Dashboards)
            {
                tracker.Add(context.IdByEmail[dashboard.Email], dashboard.Deliveries);
            }

            var written = 0;
            var ids = context.IdByEmail.Values.ToList();
            // Warm-up, untimed: the first orders of a layout pay for JIT and cold pools on both nodes, which
            // would otherwise land in the first layout's p99 only.
            await PostgresBench.WriteOrdersAsync(context.ConnectionString, ids, options.WriteRate, WarmUp, (_, _) => _ => { });
            await Task.Delay(TimeSpan.FromSeconds(1));
            var write = await MeasureAsync(counters, context.Processes, async () =>
            {
                written = await PostgresBench.WriteOrdersAsync(context.ConnectionString, ids, options.WriteRate, options.WriteFor, tracker.Expect);
                await tracker.DrainAsync(DrainDeadline);
            });
            var (latencies, missing) = tracker.Results();
            latencies.Sort();
            var figures = new LayoutFigures
            {
                Layout = layout,
                Requested = options.Circuits,
                Opened = opened,
                Failures = fleet.Failures.Grouped(),
                DashboardsByNode = fleet.Dashboards.GroupBy(d => d.Node ?? "unknown").ToDictionary(g => g.Key, g => g.Count()),
                Idle = idle,
                Write = write,
                OrdersWritten = written,
                Expected = latencies.Count + missing,
                Missing = missing,
                LatenciesMs = latencies,
                Dropped = fleet.Dashboards.Sum(d => d.Drops),
            };
            await log.WriteAsync(figures.Format());
            return figures;
        }
        finally
        {
            foreach (var counter in counters.Values)
            {
                await counter.DisposeAsync();
            }

            await fleet.CloseAsync(options.Concurrency);
        }
    }

    /// <summary>A phase between two settled readings of every node's command counter, with each process group's CPU over it.</summary>
    private static async Task<LayoutFigures.Window> MeasureAsync(Dictionary<string, AppCommandCounter> counters,
        Dictionary<string, Func<IEnumerable<int>>> processes, Func<Task> phase)
    {
        var before = new Dictionary<string, double>();
        foreach (var (name, counter) in counters)
        {
            before[name] = (await counter.ReadSettledAsync(CancellationToken.None)).Total;
        }

        // The backends of a pooled connection stay for the window; one that starts within it counts from its start.
        var cpuBefore = processes.ToDictionary(p => p.Key, p => p.Value().ToDictionary(pid => pid, pid => ProcStats.ReadCpuSeconds(pid) ?? 0));
        var clock = Stopwatch.StartNew();
        await phase();
        var after = new Dictionary<string, double>();
        foreach (var (name, counter) in counters)
        {
            after[name] = (await counter.ReadSettledAsync(CancellationToken.None)).Total;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = processes.ToDictionary(p => p.Key, p =>
        {
            var before = cpuBefore[p.Key];
            // A process gone during the window adds nothing (its last seconds are lost); one that appeared
            // counts from its start (its whole CPU time is in the window).
            var grown = before.Sum(b => (ProcStats.ReadCpuSeconds(b.Key) ?? b.Value) - b.Value);
            var added = ProcessCpu.Sum(p.Value().Where(pid => !before.ContainsKey(pid)));
            return 100 * (grown + added) / seconds;
        });
        return new LayoutFigures.Window(seconds, counters.Keys.ToDictionary(n => n, n => (double?)((after[n] - before[n]) / seconds)), cpu);
    }
}
