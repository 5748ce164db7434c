using Npgsql;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// A fresh, uniquely named database on the throwaway PostgreSQL cluster that `bash .ci/test`
/// starts and names in <see cref="ClusterVariable"/>; dropped on dispose. One per test, so
/// tests never see each other's rows and run in parallel.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string ClusterVariable = "MERCHANTPORTAL_TEST_POSTGRES";

    private PostgresTestDatabase(string name)
    {
        Name = name;
        ConnectionString = ConnectionStringFor(name);
    }

    public string Name { get; }

    /// <summary>The cluster's address with this database; no password (the cluster trusts local logins).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// The cluster's address, e.g. "Host=127.0.0.1;Port=54321;Username=postgres". A test that
    /// needs PostgreSQL fails here when it is missing: a skipped database test would hide a gap.
    /// </summary>
    public static NpgsqlConnectionStringBuilder Cluster =>
        Environment.GetEnvironmentVariable(ClusterVariable) is { Length: > 0 } address
            ? new NpgsqlConnectionStringBuilder(address)
            : throw new InvalidOperationException(
                $"{ClusterVariable} is not set, so there is no PostgreSQL cluster to test against. Run the suite with `bash .ci/test`: " +
                $"it starts a throwaway cluster and sets {ClusterVariable}=\"Host=127.0.0.1;Port=...;Username=postgres\".");

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var database = new PostgresTestDatabase(UniqueName());
        await AdministerAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    /// <summary>A name no database on the cluster has (nor will have unless created).</summary>
    public static string UniqueName() => "mp_test_" + Guid.NewGuid().ToString("N")[..20];

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(Cluster.ConnectionString) { Database = database }.ConnectionString;

    public static async Task<bool> ExistsAsync(string database)
    {
        await using var connection = await OpenMaintenanceConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection);
        command.Parameters.AddWithValue(database);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    public async ValueTask DisposeAsync()
    {
        // This process's pooled connections, and any left by an app process the test killed,
        // would keep the database in use: FORCE ends them.
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await AdministerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task AdministerAsync(string sql)
    {
        await using var connection = await OpenMaintenanceConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The cluster's own "postgres" database, unpooled: CREATE and DROP DATABASE run outside any test database.</summary>
    private static async Task<NpgsqlConnection> OpenMaintenanceConnectionAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Cluster.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
