using System.Globalization;

namespace MerchantPortal.Bench.Sweep;

/// <summary>The prepare-db command's arguments, validated before the database is opened.</summary>
public sealed record PrepareDbOptions(string DatabasePath, int Merchants, string Password)
{
    public const string Usage =
        "usage: MerchantPortal.Bench prepare-db (--database <path.db> | --postgres \"Host=...;Database=...;Username=...\") --merchants <N> [--password <pw>]  " +
        "(the database must already be migrated: start the app on it once)";

    /// <summary>A PostgreSQL connection string instead of <see cref="DatabasePath"/> (then empty).</summary>
    public string? PostgresConnection { get; init; }

    /// <summary>Parses <c>--name value</c> pairs; returns null and an error for anything malformed or unknown.</summary>
    public static PrepareDbOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var values = CommandLineArgs.Parse(args, ["--database", "--postgres", "--merchants", "--password"], out error);
        if (values is null)
        {
            return null;
        }

        var postgres = values.GetValueOrDefault("--postgres");
        if (values.ContainsKey("--database") == (postgres is not null))
        {
            error = "--database (a SQLite file) or --postgres (a connection string) is required, not both";
            return null;
        }

        var database = values.GetValueOrDefault("--database") ?? "";
        if (postgres is null && string.IsNullOrWhiteSpace(database))
        {
            error = "--database is required";
            return null;
        }

        if (postgres is not null)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            }
            catch (ArgumentException)
            {
                error = "--postgres must be a PostgreSQL connection string, e.g. \"Host=127.0.0.1;Database=portal;Username=postgres\"";
                return null;
            }
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
        return new PrepareDbOptions(postgres is null ? Path.GetFullPath(database) : "", merchants, password) { PostgresConnection = postgres };
    }
}
