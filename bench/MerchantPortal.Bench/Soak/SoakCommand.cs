namespace MerchantPortal.Bench.Soak;

/// <summary>The soak command line: arguments, then the run. Exit 0 every invariant held, 1 one broke, 2 bad arguments.</summary>
public static class SoakCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        var options = SoakOptions.Parse(args, out var error);
        if (options is null)
        {
            await log.WriteLineAsync($"soak: {error}\n{SoakOptions.Usage}");
            return 2;
        }

        if (AppFds.Read(options.AppPid, options.Database) is null)
        {
            await log.WriteLineAsync($"soak: --app-pid {options.AppPid}: no readable /proc/{options.AppPid}/fd (not running, not ours, or not Linux)");
            return 2;
        }

        var figures = await new SoakRunner(options, log).RunAsync();
        if (figures is null)
        {
            return 1;
        }

        await output.WriteAsync(figures.Format());
        return figures.Broken().Count == 0 ? 0 : 1;
    }
}
