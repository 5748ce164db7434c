using Npgsql;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of a test's own, for what the shared one must never suffer: being stopped
/// and started again. Built like the test command's (initdb -A trust, free loopback port, run as
/// the postgres user) by <see cref="PostgresCluster"/>, and deleted on dispose.
/// </summary>
public sealed class PrivatePostgresCluster : IAsyncDisposable
{
    private readonly PostgresCluster _cluster;

    private PrivatePostgresCluster(PostgresCluster cluster) => _cluster = cluster;

    public static async Task<PrivatePostgresCluster> StartAsync() =>
        new(await PostgresCluster.StartAsync(Psql.ServerBin, "merchantportal-pg-", AppProcess.FreeLoopbackAddress().Port));

    public string ConnectionString(string database) => _cluster.ConnectionString(database);

    public Task CreateDatabaseAsync(string name) => _cluster.ExecuteAsync("postgres", $"CREATE DATABASE \"{name}\"");

    /// <summary>One New order for Demo Shop 1 in database "portal", written on a connection of its own.</summary>
    public async Task InsertOrderAsync(string customer)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("portal") + ";Pooling=false");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var insert = new NpgsqlCommand(Psql.InsertOrderSql("Demo Shop 1", customer), connection);
        Assert.Equal(1, await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Stops the server the way an operator's fast shutdown does: every session is ended.</summary>
    public Task StopAsync() => _cluster.StopAsync("fast");

    public Task StartAgainAsync() => _cluster.StartAgainAsync();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
