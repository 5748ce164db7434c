using System.Globalization;

namespace MerchantPortal.Bench.Probe;

/// <summary>What the heap-types command was asked to do: take a snapshot, or compare two.</summary>
public abstract record HeapTypesOptions
{
    public const string Usage =
        "usage: MerchantPortal.Bench heap-types --app-pid <pid> --out <file.json> [--timeout 120s]\n" +
        "       MerchantPortal.Bench heap-types --diff <before.json> <after.json> [--per <N>] [--top 40]";

    private static readonly string[] SnapshotNames = ["--app-pid", "--out", "--timeout"];
    private static readonly string[] DiffNames = ["--diff", "--per", "--top"];

    /// <summary>Parses <c>--name value</c> pairs (<c>--diff</c> takes two); null and an error for anything malformed.</summary>
    public static HeapTypesOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            error = "nothing to do: give --app-pid and --out to take a snapshot, or --diff to compare two";
            return null;
        }

        // The two modes take different options; which one is meant decides what is unknown.
        var diff = args.Contains("--diff");
        var allowed = diff ? DiffNames : SnapshotNames;
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count;)
        {
            var name = args[i];
            if (!allowed.Contains(name))
            {
                error = SnapshotNames.Contains(name) || DiffNames.Contains(name)
                    ? $"{name} does not go with {(diff ? "--diff" : "--app-pid/--out")}"
                    : $"unknown argument '{name}'";
                return null;
            }

            var arity = name == "--diff" ? 2 : 1;
            var given = args.Skip(i + 1).Take(arity).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
            if (given.Length < arity)
            {
                error = arity == 1 ? $"{name} needs a value" : $"{name} needs two files, before and after";
                return null;
            }

            if (!values.TryAdd(name, given))
            {
                error = $"{name} given twice";
                return null;
            }

            i += 1 + arity;
        }

        error = "";
        return diff ? ParseDiff(values, ref error) : ParseSnapshot(values, ref error);
    }

    private static HeapTypesSnapshotOptions? ParseSnapshot(Dictionary<string, string[]> values, ref string error)
    {
        if (!values.TryGetValue("--app-pid", out var pidText))
        {
            error = "--app-pid is required";
            return null;
        }

        if (!TryPositive("--app-pid", pidText[0], ref error, out var pid))
        {
            return null;
        }

        if (!values.TryGetValue("--out", out var outPath))
        {
            error = "--out is required";
            return null;
        }

        var timeout = TimeSpan.FromSeconds(120);
        if (values.TryGetValue("--timeout", out var timeoutText)
            && (!CommandLineArgs.TryParseDuration(timeoutText[0], out timeout) || timeout <= TimeSpan.Zero))
        {
            error = $"--timeout must be a positive duration like 120s or 5m, not '{timeoutText[0]}'";
            return null;
        }

        return new HeapTypesSnapshotOptions(pid, outPath[0], timeout);
    }

    private static HeapTypesDiffOptions? ParseDiff(Dictionary<string, string[]> values, ref string error)
    {
        int? per = null;
        if (values.TryGetValue("--per", out var perText))
        {
            if (!TryPositive("--per", perText[0], ref error, out var n))
            {
                return null;
            }

            per = n;
        }

        var top = 40;
        if (values.TryGetValue("--top", out var topText) && !TryPositive("--top", topText[0], ref error, out top))
        {
            return null;
        }

        var files = values["--diff"];
        return new HeapTypesDiffOptions(files[0], files[1], per, top);
    }

    private static bool TryPositive(string name, string text, ref string error, out int value)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0)
        {
            return true;
        }

        error = $"{name} must be a positive whole number, not '{text}'";
        return false;
    }
}

/// <summary>heap-types --app-pid: snapshot one process and write it as JSON.</summary>
public sealed record HeapTypesSnapshotOptions(int AppPid, string OutPath, TimeSpan Timeout) : HeapTypesOptions;

/// <summary>heap-types --diff: compare two written snapshots, optionally per unit of work done in between.</summary>
public sealed record HeapTypesDiffOptions(string BeforePath, string AfterPath, int? Per, int Top) : HeapTypesOptions;
