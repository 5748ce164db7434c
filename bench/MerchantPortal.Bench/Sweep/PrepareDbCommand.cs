using System.Diagnostics;
using System.Globalization;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// The prepare-db command line: bench merchants and users in an already migrated database.
/// Exit 0 done, 1 the database is unusable (nothing written), 2 bad arguments.
/// </summary>
public static class PrepareDbCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        var options = PrepareDbOptions.Parse(args, out var error);
        if (options is null)
        {
            await log.WriteLineAsync($"prepare-db: {error}\n{PrepareDbOptions.Usage}");
            return 2;
        }

        if (options.PostgresConnection is null && !File.Exists(options.DatabasePath))
        {
            // Opening it would create an empty file; the app must create and migrate it first.
            await log.WriteLineAsync(
                $"prepare-db: --database {options.DatabasePath}: no such file. Start the app on it once so it migrates the schema.\n{PrepareDbOptions.Usage}");
            return 2;
        }

        var started = Stopwatch.GetTimestamp();
        BenchDatabaseResult result;
        try
        {
            result = options.PostgresConnection is { } postgres
                ? await BenchDatabase.PrepareAsync(new Npgsql.NpgsqlConnectionStringBuilder(postgres), options.Merchants, options.Password, cancellationToken)
                : await BenchDatabase.PrepareAsync(options.DatabasePath, options.Merchants, options.Password, cancellationToken);
        }
        catch (BenchDatabaseException ex)
        {
            await log.WriteLineAsync($"prepare-db: {ex.Message}");
            return 1;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"prepare-db: {(options.PostgresConnection is null ? options.DatabasePath : "PostgreSQL")}: {options.Merchants} bench merchants ({result.MerchantsAdded} added, {result.MerchantsKept} kept), " +
            $"{options.Merchants} users ({result.UsersAdded} added, {result.UsersKept} kept, {result.RolesAdded} role links repaired) in {seconds:F2} s; " +
            $"users {BenchAccounts.Email(1)}..{BenchAccounts.Email(options.Merchants)}"));
        if (result.UsersKept > 0)
        {
            await output.WriteLineAsync("prepare-db: kept users keep the password they were created with.");
        }

        return 0;
    }
}
