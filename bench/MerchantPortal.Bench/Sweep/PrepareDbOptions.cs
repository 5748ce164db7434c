using System.Globalization;

namespace MerchantPortal.Bench.Sweep;

/// <summary>The prepare-db command's arguments, validated before the database is opened.</summary>
public sealed record PrepareDbOptions(string DatabasePath, int Merchants, string Password)
{
    public const string Usage =
        "usage: MerchantPortal.Bench prepare-db --database <path.db> --merchants <N> [--password <pw>]  " +
        "(the file must already be migrated: start the app on it once)";

    /// <summary>Parses <c>--name value</c> pairs; returns null and an error for anything malformed or unknown.</summary>
    public static PrepareDbOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (name is not ("--database" or "--merchants" or "--password"))
            {
                error = $"unknown argument '{name}'";
                return null;
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{name} needs a value";
                return null;
            }

            if (!values.TryAdd(name, args[i + 1]))
            {
                error = $"{name} given twice";
                return null;
            }
        }

        if (!values.TryGetValue("--database", out var database) || string.IsNullOrWhiteSpace(database))
        {
            error = "--database is required";
            return null;
        }

        if (!values.TryGetValue("--merchants", out var text))
        {
            error = "--merchants is required";
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var merchants)
            || merchants < 1 || merchants > BenchAccounts.MaxMerchants)
        {
            error = $"--merchants must be a whole number from 1 to {BenchAccounts.MaxMerchants}, not '{text}'";
            return null;
        }

        var password = values.GetValueOrDefault("--password") ?? BenchAccounts.DefaultPassword;
        if (password.Length == 0)
        {
            error = "--password must not be empty";
            return null;
        }

        error = "";
        return new PrepareDbOptions(Path.GetFullPath(database), merchants, password);
    }
}
