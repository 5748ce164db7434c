using System.Globalization;
using System.Runtime.InteropServices;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Resident memory and CPU time of a Linux process, read from /proc the way top does, so the app's own
/// figures come from outside it (the app needs no metrics endpoint).
/// </summary>
public static class ProcStats
{
    private const int ScClockTicks = 2; // _SC_CLK_TCK in glibc and musl

    /// <summary>Clock ticks per second for /proc/[pid]/stat times; 100 on every common Linux, but ask.</summary>
    public static long ClockTicksPerSecond { get; } = QueryClockTicks();

    /// <summary>VmRSS in bytes, or null when the process is gone or /proc is unavailable.</summary>
    public static long? ReadRssBytes(int pid) => TryRead($"/proc/{pid}/status") is { } text ? ParseVmRssBytes(text) : null;

    /// <summary>utime + stime in seconds, or null when the process is gone or /proc is unavailable.</summary>
    public static double? ReadCpuSeconds(int pid) =>
        TryRead($"/proc/{pid}/stat") is { } text && ParseCpuTicks(text) is { } ticks ? (double)ticks / ClockTicksPerSecond : null;

    /// <summary>The "VmRSS:   123456 kB" line of /proc/[pid]/status, in bytes.</summary>
    public static long? ParseVmRssBytes(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                continue;
            }

            // The kernel pads with a tab and spaces.
            var parts = line["VmRSS:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb)
                ? kb * 1024
                : null;
        }

        return null;
    }

    /// <summary>
    /// Fields 14 and 15 (utime, stime) of /proc/[pid]/stat. Field 2 is the command name in parentheses and
    /// may itself hold spaces and parentheses, so counting starts after the last ')'.
    /// </summary>
    public static long? ParseCpuTicks(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ')' come field 3 (state) onwards, so utime is index 11 and stime index 12.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime)
            ? utime + stime
            : null;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long QueryClockTicks()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 100;
        }

        try
        {
            var ticks = SysConf(ScClockTicks);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for one blittable call.
    // "libc" would resolve to glibc's libc.so, a linker script dlopen rejects; musl ends in the fallback of 100.
    [DllImport("libc.so.6", EntryPoint = "sysconf")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long SysConf(int name);
}
