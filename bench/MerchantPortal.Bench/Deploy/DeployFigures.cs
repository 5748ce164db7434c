using System.Globalization;
using System.Text;
using MerchantPortal.Bench.Reconnect;

namespace MerchantPortal.Bench.Deploy;

/// <summary>What a deploy under load measured; <see cref="Format"/> is the command's report.</summary>
public sealed class DeployFigures
{
    public required int Requested { get; init; }

    public required int Opened { get; init; }

    public required string Provider { get; init; }

    public required TimeSpan SigtermToExit { get; init; }

    /// <summary>The old process's exit code: 0 for a clean stop.</summary>
    public required int OldExitCode { get; init; }

    public required TimeSpan SigtermToServing { get; init; }

    /// <summary>Null when not every dashboard was live again by the deadline.</summary>
    public required TimeSpan? SigtermToAllLive { get; init; }

    /// <summary>Every dashboard's outage (drop to live again), ascending, in milliseconds.</summary>
    public required IReadOnlyList<double> Outages { get; init; }

    public required int NotLiveAtEnd { get; init; }

    public required IReadOnlyList<(string Reason, int Count)> Failures { get; init; }

    public required IReadOnlyList<(string Reason, int Count)> StartRetries { get; init; }

    public required int Attempts { get; init; }

    public required int Reloads { get; init; }

    public required int Drops { get; init; }

    /// <summary>Circuits that started or resumed in each second after SIGTERM.</summary>
    public required IReadOnlyList<int> StartsPerSecond { get; init; }

    /// <summary>The new process's CPU in each second from its start (100 = one core).</summary>
    public required IReadOnlyList<double> AppCpuPercentPerSecond { get; init; }

    /// <summary>The new process's database commands from when it first served until every dashboard was live; null if not counted.</summary>
    public double? AppCommands { get; init; }

    /// <summary>Dashboards not live again, plus failed open attempts.</summary>
    public int FailureCount => NotLiveAtEnd + (Requested - Opened);

    public string Format()
    {
        var s = new StringBuilder();
        var i = CultureInfo.InvariantCulture;
        s.AppendLine(i, $"deploy on {Provider}: {Opened} of {Requested} dashboards opened; {Drops} drops, {Outages.Count} came back, {NotLiveAtEnd} not live at the end");
        s.AppendLine(i, $"  SIGTERM -> old process exited {SigtermToExit.TotalSeconds:F1} s (code {OldExitCode}); -> new process serving {SigtermToServing.TotalSeconds:F1} s; -> every dashboard live {(SigtermToAllLive is { } all ? $"{all.TotalSeconds:F1} s" : "never (deadline)")}");
        s.AppendLine(i, $"  outage per dashboard (drop to live): median {FleetSessions.Quantile(Outages, 0.5) / 1000:F1} s, p99 {FleetSessions.Quantile(Outages, 0.99) / 1000:F1} s, max {(Outages.Count > 0 ? Outages[^1] / 1000 : double.NaN):F1} s");
        s.AppendLine(i, $"  reconnect attempts {Attempts}, reloads {Reloads}; failures {FailureCount}");
        foreach (var (reason, count) in Failures)
        {
            s.AppendLine(i, $"    failed {count} x {reason}");
        }

        foreach (var (reason, count) in StartRetries)
        {
            s.AppendLine(i, $"    circuit start retried {count} x {reason}");
        }

        s.AppendLine(i, $"  circuit start-ups per second after SIGTERM: peak {(StartsPerSecond.Count > 0 ? StartsPerSecond.Max() : 0)}; [{string.Join(' ', StartsPerSecond)}]");
        s.AppendLine(i, $"  new app CPU % per second from its start: peak {(AppCpuPercentPerSecond.Count > 0 ? AppCpuPercentPerSecond.Max() : 0):F0}; [{string.Join(' ', AppCpuPercentPerSecond.Select(c => c.ToString("F0", i)))}]");
        s.AppendLine(i, $"  new app database commands from serving until every dashboard was live: {(AppCommands is { } c ? c.ToString("F0", i) : "n/a")}");
        return s.ToString();
    }
}
