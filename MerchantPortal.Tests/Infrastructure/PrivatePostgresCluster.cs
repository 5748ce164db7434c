using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of a test's own, for what the shared one must never suffer: being stopped
/// and started again. Built like the test command's (initdb -A trust, free loopback port, run as
/// the postgres user) and deleted on dispose.
/// </summary>
public sealed class PrivatePostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly int _port;

    private PrivatePostgresCluster(string bin, string root, int port) => (_bin, _root, _port) = (bin, root, port);

    private string DataDirectory => Path.Combine(_root, "data");

    private string SocketDirectory => Path.Combine(_root, "socket");

    public static async Task<PrivatePostgresCluster> StartAsync()
    {
        var bin = Psql.ServerBin;
        var root = Directory.CreateTempSubdirectory("merchantportal-pg-").FullName;
        var cluster = new PrivatePostgresCluster(bin, root, AppProcess.FreeLoopbackAddress().Port);
        Directory.CreateDirectory(cluster.DataDirectory);
        Directory.CreateDirectory(cluster.SocketDirectory);
        await RunAsync("chown", ["-R", "postgres:", root]);
        await cluster.AsPostgresAsync("initdb", ["-D", cluster.DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]);
        await cluster.StartAgainAsync();
        return cluster;
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = _port, Username = "postgres", Database = database,
    }.ConnectionString;

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>One New order for Demo Shop 1 in database "portal", written on a connection of its own.</summary>
    public async Task InsertOrderAsync(string customer)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("portal") + ";Pooling=false");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var insert = new NpgsqlCommand(Psql.InsertOrderSql("Demo Shop 1", customer), connection);
        Assert.Equal(1, await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Stops the server the way an operator's fast shutdown does: every session is ended.</summary>
    public Task StopAsync() => AsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-s", "stop"]);

    public Task StartAgainAsync() => AsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-s", "start",
        "-o", string.Create(CultureInfo.InvariantCulture, $"-p {_port} -k {SocketDirectory} -c listen_addresses=127.0.0.1 -c fsync=off")]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
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
