namespace MerchantPortal.Bench.Probe;

/// <summary>The heap-types command line. Exit 0 done, 1 the snapshot (or writing it) failed, 2 bad arguments or input files.</summary>
public static class HeapTypesCommand
{
    private const int SnapshotTop = 30;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        return HeapTypesOptions.Parse(args, out var error) switch
        {
            HeapTypesSnapshotOptions snapshot => await SnapshotAsync(snapshot, output, log),
            HeapTypesDiffOptions diff => await DiffAsync(diff, output, log),
            _ => await BadArgumentsAsync(log, error),
        };
    }

    private static async Task<int> SnapshotAsync(HeapTypesSnapshotOptions options, TextWriter output, TextWriter log)
    {
        // Checked first: the walk pauses the target for seconds, which should not be spent on a result that cannot be kept.
        var directory = Path.GetDirectoryName(Path.GetFullPath(options.OutPath));
        if (directory is null || !Directory.Exists(directory))
        {
            return await BadArgumentsAsync(log, $"--out {options.OutPath}: directory {directory} does not exist");
        }

        await log.WriteLineAsync($"heap-types: walking the managed heap of pid {options.AppPid} (induced full GC)...");
        var reading = await HeapTypeSnapshot.TakeAsync(options.AppPid, options.Timeout);
        if (reading.Types is not { } types)
        {
            await log.WriteLineAsync($"heap-types: snapshot of pid {options.AppPid} failed: {reading.Unavailable}");
            return 1;
        }

        try
        {
            await types.SaveAsync(options.OutPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await log.WriteLineAsync($"heap-types: writing {options.OutPath} failed: {e.GetType().Name}: {e.Message}");
            return 1;
        }

        await output.WriteAsync(HeapTypesReport.FormatTop(types, SnapshotTop));
        await log.WriteLineAsync($"heap-types: written to {options.OutPath}");
        return 0;
    }

    private static async Task<int> DiffAsync(HeapTypesDiffOptions options, TextWriter output, TextWriter log)
    {
        var (before, beforeError) = await HeapTypes.LoadAsync(options.BeforePath);
        var (after, afterError) = await HeapTypes.LoadAsync(options.AfterPath);
        if (before is null || after is null)
        {
            return await BadArgumentsAsync(log, $"--diff: {(before is null ? beforeError : afterError)}");
        }

        await output.WriteAsync(HeapTypesReport.FormatDiff(options.BeforePath, before, options.AfterPath, after, options.Per, options.Top));
        return 0;
    }

    private static async Task<int> BadArgumentsAsync(TextWriter log, string error)
    {
        await log.WriteLineAsync($"heap-types: {error}\n{HeapTypesOptions.Usage}");
        return 2;
    }
}
