namespace MerchantPortal.Bench.Probe;

/// <summary>The probe command line: arguments, then the run. Exit 0 all held, 1 any failed, 2 bad arguments.</summary>
public static class ProbeCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        var options = ProbeOptions.Parse(args, out var error);
        if (options is null)
        {
            await log.WriteLineAsync($"probe: {error}\n{ProbeOptions.Usage}");
            return 2;
        }

        if (options.AppPid is { } pid && ProcStats.ReadRssBytes(pid) is null)
        {
            await log.WriteLineAsync($"probe: --app-pid {pid}: no readable /proc/{pid}/status (not running, or not Linux)");
            return 2;
        }

        var figures = await new ProbeRunner(options, log).RunAsync();
        if (figures is null)
        {
            return 1;
        }

        await output.WriteAsync(ProbeReport.Format(figures));
        return figures.Held == options.Circuits && figures.DroppedDuringHold == 0 ? 0 : 1;
    }
}
