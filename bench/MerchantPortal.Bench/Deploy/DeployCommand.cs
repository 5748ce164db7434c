namespace MerchantPortal.Bench.Deploy;

/// <summary>The deploy command: exit code 0 when every dashboard came back live, 1 when any failed, 2 for bad arguments.</summary>
public static class DeployCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        var options = DeployOptions.Parse(args, out var error);
        if (options is null)
        {
            await log.WriteLineAsync(error);
            await log.WriteLineAsync(DeployOptions.Usage);
            return 2;
        }

        var figures = await new DeployRunner(options, log).RunAsync();
        await output.WriteAsync(figures.Format());
        return figures.FailureCount == 0 && figures.SigtermToAllLive is not null ? 0 : 1;
    }
}
