using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// The sweep's own PostgreSQL cluster, as an operator's run would have: initdb into a temporary folder
/// (as the postgres user: initdb and pg_ctl refuse root), a free loopback port, deleted on dispose. Built
/// like the tests' PrivatePostgresCluster, which the bench cannot link (it asserts with xunit), plus what
/// a sweep needs: room for the app's pool and the writers, and pg_stat_statements to see what the server
/// ran (Npgsql's DISCARD ALL included, which the app's own command counter never sees).
/// fsync=off as in the tests: the figures are about the app, not the disk.
/// </summary>
public sealed class SweepPostgres : IAsyncDisposable
{
    public const string Template = "sweep_template";
    public const string Run = "sweep_run";

    /// <summary>The app's pool (Npgsql's default 100), its listener, the writers (5 at 500 orders/s), the sweep's own.</summary>
    private const int MaxConnections = 300;

    private readonly string _bin;
    private readonly string _root;
    private readonly int _port;

    private SweepPostgres(string bin, string root, int port) => (_bin, _root, _port) = (bin, root, port);

    private string DataDirectory => Path.Combine(_root, "data");

    /// <exception cref="InvalidOperationException">No PostgreSQL binaries, or initdb/pg_ctl failed.</exception>
    public static async Task<SweepPostgres> StartAsync(int port)
    {
        var bin = (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(version => Path.Combine(version, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault()
            ?? throw new InvalidOperationException("--databases postgres needs PostgreSQL's server binaries under /usr/lib/postgresql (apt-get install postgresql)");
        var root = Directory.CreateTempSubdirectory("merchantportal-sweep-pg-").FullName;
        var cluster = new SweepPostgres(bin, root, port);
        try
        {
            Directory.CreateDirectory(cluster.DataDirectory);
            await RunAsync("chown", ["-R", "postgres:", root]);
            await cluster.AsPostgresAsync("initdb", ["-D", cluster.DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]);
            await cluster.AsPostgresAsync("pg_ctl", ["-D", cluster.DataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-s", "start",
                "-o", string.Create(CultureInfo.InvariantCulture,
                    $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections={MaxConnections} -c shared_preload_libraries=pg_stat_statements")]);
            await cluster.ExecuteAsync("postgres", "CREATE EXTENSION pg_stat_statements");
            await cluster.ExecuteAsync("postgres", $"CREATE DATABASE {Template}");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = _port, Username = "postgres", Database = database,
    }.ConnectionString;

    /// <summary>A fresh copy of the template for one run: CREATE DATABASE ... TEMPLATE copies files, in well under a second.</summary>
    public async Task FreshRunDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS {Run} WITH (FORCE)");
        await ExecuteAsync("postgres", $"CREATE DATABASE {Run} TEMPLATE {Template}");
        await ExecuteAsync("postgres", "SELECT pg_stat_statements_reset()");
    }

    /// <summary>Statements the server ran in the run database since <see cref="FreshRunDatabaseAsync"/>: all, and DISCARD ALL alone.</summary>
    public async Task<(long All, long DiscardAll)> RunStatementsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            $"SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(calls) FILTER (WHERE query = 'DISCARD ALL'), 0)::bigint " +
            $"FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '{Run}'", connection);
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await AsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-s", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Never started, or already stopped.
        }

        Directory.Delete(_root, recursive: true);
    }

    private async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private Task AsPostgresAsync(string tool, IEnumerable<string> args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync("sudo", ["-u", "postgres", Path.Combine(_bin, tool), .. args]);

    private static async Task RunAsync(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
