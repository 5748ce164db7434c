using MerchantPortal.Bench.Probe;
using MerchantPortal.Bench.Sweep;
using MerchantPortal.Data;
using Npgsql;

namespace MerchantPortal.Bench.Nodes;

/// <summary>
/// The PostgreSQL side of the deploy and nodes commands: a fresh database of the run's own (dropped after),
/// the bench merchants and the order writer (prepare-db's and the probe's code), and the server processes
/// serving the database, for their CPU.
/// </summary>
public static class PostgresBench
{
    /// <summary>A new empty database on the server of <paramref name="serverConnectionString"/>; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string serverConnectionString, string prefix)
    {
        var name = prefix + "_" + Guid.NewGuid().ToString("N")[..10];
        await AdministerAsync(serverConnectionString, $"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await AdministerAsync(connectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>Bench merchants 1..<paramref name="count"/> with their users, by prepare-db's own code (the app has migrated the database).</summary>
    public static Task PrepareMerchantsAsync(string connectionString, int count, string password) =>
        BenchDatabase.PrepareAsync(new NpgsqlConnectionStringBuilder(connectionString), count, password);

    public static Task<IReadOnlyList<int>> MerchantIdsAsync(string connectionString, IReadOnlyList<string> emails) =>
        OrderWriter.MerchantIdsAsync(connectionString, emails, CancellationToken.None, DatabaseProvider.PostgreSql);

    /// <summary>Orders from this process (neither node writes them) at a set rate, by the probe's own order writer.</summary>
    public static Task<int> WriteOrdersAsync(string connectionString, IReadOnlyList<int> merchantIds, double perSecond, TimeSpan duration,
        Func<int, string, Action<long>> expect) =>
        new OrderWriter(connectionString, merchantIds, provider: DatabaseProvider.PostgreSql).RunAsync(perSecond, duration, expect, CancellationToken.None);

    /// <summary>The pids of the server processes serving this database now (for their CPU time in /proc).</summary>
    public static async Task<IReadOnlyList<int>> BackendPidsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        var pids = new List<int>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }

    private static async Task AdministerAsync(string connectionString, string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
