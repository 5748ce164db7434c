using System.Globalization;
using MerchantPortal.Tests.Infrastructure;
using Npgsql;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// The sweep's own PostgreSQL cluster, as an operator's run would have (the tests' cluster code, linked:
/// <see cref="PostgresCluster"/>), plus what a sweep needs: room for the app's pool and the writers, and
/// pg_stat_statements to see what the server ran (Npgsql's DISCARD ALL included, which the app's own
/// command counter never sees).
/// </summary>
public sealed class SweepPostgres : IAsyncDisposable
{
    public const string Template = "sweep_template";
    public const string Run = "sweep_run";

    /// <summary>The app's pool (Npgsql's default 100), its listener, the writers (5 at 500 orders/s), the sweep's own.</summary>
    private const int MaxConnections = 300;

    private readonly PostgresCluster _cluster;

    private SweepPostgres(PostgresCluster cluster) => _cluster = cluster;

    /// <exception cref="InvalidOperationException">No PostgreSQL binaries, or initdb/pg_ctl failed.</exception>
    public static async Task<SweepPostgres> StartAsync(int port)
    {
        var bin = PostgresCluster.ServerBin
            ?? throw new InvalidOperationException("--databases postgres needs PostgreSQL's server binaries under /usr/lib/postgresql (apt-get install postgresql)");
        // Immediate stop on dispose: the cluster is deleted right after, nothing in it is kept.
        var cluster = await PostgresCluster.StartAsync(bin, "merchantportal-sweep-pg-", port,
            string.Create(CultureInfo.InvariantCulture, $"-c max_connections={MaxConnections} -c shared_preload_libraries=pg_stat_statements"),
            disposeStopMode: "immediate");
        var sweep = new SweepPostgres(cluster);
        try
        {
            await cluster.ExecuteAsync("postgres", "CREATE EXTENSION pg_stat_statements");
            await cluster.ExecuteAsync("postgres", $"CREATE DATABASE {Template}");
            return sweep;
        }
        catch
        {
            await sweep.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(string database) => _cluster.ConnectionString(database);

    /// <summary>A fresh copy of the template for one run: CREATE DATABASE ... TEMPLATE copies files, in well under a second.</summary>
    public async Task FreshRunDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _cluster.ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS {Run} WITH (FORCE)");
        await _cluster.ExecuteAsync("postgres", $"CREATE DATABASE {Run} TEMPLATE {Template}");
        await _cluster.ExecuteAsync("postgres", "SELECT pg_stat_statements_reset()");
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
        await _cluster.DisposeAsync();
    }
}
