using System.Globalization;
using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Nodes;

/// <summary>CPU seconds of process groups from /proc, read at the start and end of a window.</summary>
public static class ProcessCpu
{
    /// <summary>The CPU seconds of these processes now; a process that is gone counts 0.</summary>
    public static double Sum(IEnumerable<int> pids) => pids.Sum(p => ProcStats.ReadCpuSeconds(p) ?? 0);

    /// <summary>A process and its children (nginx's master and workers), from /proc/PID/task/PID/children.</summary>
    public static IReadOnlyList<int> WithChildren(int pid)
    {
        var children = File.Exists($"/proc/{pid}/task/{pid}/children")
            ? File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(c => int.Parse(c, CultureInfo.InvariantCulture))
            : [];
        return [pid, .. children];
    }
}
