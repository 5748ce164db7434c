namespace MerchantPortal.Bench.Nodes;

/// <summary>The nodes command: exit code 0 when no dashboard failed, dropped or missed an order in either layout, 1 otherwise, 2 for bad arguments.</summary>
public static class NodesCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        var options = NodesOptions.Parse(args, out var error);
        if (options is null)
        {
            await log.WriteLineAsync(error);
            await log.WriteLineAsync(NodesOptions.Usage);
            return 2;
        }

        var layouts = await new NodesRunner(options, log).RunAsync();
        foreach (var layout in layouts)
        {
            await output.WriteAsync(layout.Format());
        }

        return layouts.All(l => l.FailureCount == 0) ? 0 : 1;
    }
}
