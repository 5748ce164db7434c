using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of its own in a temporary folder: initdb -A trust as the postgres user, a
/// server on a loopback port with fsync=off (the figures and tests are about the app, not the disk),
/// deleted on dispose. No xunit here: the bench links this file (its sweep runs its own cluster) and
/// the tests' PrivatePostgresCluster wraps it.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly int _port;
    private readonly string _settings;
    private readonly string _disposeStopMode;

    private PostgresCluster(string bin, string root, int port, string settings, string disposeStopMode) =>
        (_bin, _root, _port, _settings, _disposeStopMode) = (bin, root, port, settings, disposeStopMode);

    /// <summary>The newest PostgreSQL's server binaries (initdb, pg_ctl, psql) under /usr/lib/postgresql; null without them.</summary>
    public static string? ServerBin { get; } =
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb"))).OrderDescending().FirstOrDefault();

    private string DataDirectory => Path.Combine(_root, "data");

    private string SocketDirectory => Path.Combine(_root, "socket");

    /// <summary>
    /// Creates and starts a cluster in a new temporary folder named after <paramref name="folderPrefix"/>;
    /// <paramref name="settings"/> are more server options (<c>-c name=value</c> ...), and dispose stops the
    /// server with pg_ctl's <paramref name="disposeStopMode"/>. What a failed start leaves is deleted.
    /// </summary>
    /// <exception cref="InvalidOperationException">initdb or pg_ctl failed.</exception>
    public static async Task<PostgresCluster> StartAsync(string bin, string folderPrefix, int port, string settings = "", string disposeStopMode = "fast")
    {
        var root = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        var cluster = new PostgresCluster(bin, root, port, settings, disposeStopMode);
        try
        {
            Directory.CreateDirectory(cluster.DataDirectory);
            Directory.CreateDirectory(cluster.SocketDirectory);
            await RunAsync("chown", ["-R", "postgres:", root]);
            await cluster.AsPostgresAsync("initdb", ["-D", cluster.DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]);
            await cluster.StartAgainAsync();
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

    /// <summary>One statement on a connection of its own (no pool), e.g. CREATE DATABASE.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server with pg_ctl's <paramref name="mode"/>: fast ends every session, as an operator's shutdown does.</summary>
    public Task StopAsync(string mode) => AsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", mode, "-w", "-s", "stop"]);

    public Task StartAgainAsync() => AsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-s", "start",
        "-o", string.Create(CultureInfo.InvariantCulture, $"-p {_port} -k {SocketDirectory} -c listen_addresses=127.0.0.1 -c fsync=off {_settings}").TrimEnd()]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(_disposeStopMode);
        }
        catch (InvalidOperationException)
        {
            // Never started, or already stopped.
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>initdb and pg_ctl refuse to run as root: as the postgres user, through sudo when not root.</summary>
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
