using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using MerchantPortal.Data;
using MerchantPortal.Orders;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// What an operator runs for several nodes: a fresh PostgreSQL database on the test command's
/// cluster, node A and node B (the app's build output, Development, each logging in as its own
/// database role) and nginx in front on the committed configuration. A starts first (it migrates
/// and seeds the demo data), then B, then nginx. Everything is stopped and dropped on dispose,
/// also when start-up fails half way.
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public const string AffinityCookie = "mp_node";

    private readonly ConcurrentDictionary<string, string> _affinityByNode = new();
    private readonly string _rolePrefix = "mp_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<string> _roles = [];
    private bool _disposed;

    public TestDatabase Database { get; private set; } = default!;

    /// <summary>The PostgreSQL database's name (pg_stat_statements and pg_stat_activity know it by name).</summary>
    public string DatabaseName => new NpgsqlConnectionStringBuilder(Database.ConnectionString).Database!;

    public PortalNode A { get; private set; } = default!;

    public PortalNode B { get; private set; } = default!;

    public NginxProcess Nginx { get; private set; } = default!;

    /// <summary>nginx's address: where browsers go.</summary>
    public Uri BaseAddress => Nginx.BaseAddress;

    public IEnumerable<PortalNode> Nodes => [A, B];

    public async ValueTask InitializeAsync()
    {
        try
        {
            Database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
            A = await NodeAsync("node-a");
            B = await NodeAsync("node-b");
            await A.StartAsync();
            await B.StartAsync();
            Nginx = await NginxProcess.StartAsync(A.BaseAddress, B.BaseAddress);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public PortalNode Node(string name) => Nodes.Single(n => n.Name == name);

    /// <summary>A client through nginx with a cookie jar of its own: a fresh browser as far as nginx can tell.</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>
    /// An affinity cookie value that nginx's hash sends to this node, found by asking nginx (the
    /// hash is nginx's business, not the test's): candidate values until one is answered by it.
    /// Needs both nodes up; the answer holds for the life of this nginx.
    /// </summary>
    public async Task<string> AffinityForAsync(PortalNode node)
    {
        if (_affinityByNode.TryGetValue(node.Name, out var known))
        {
            return known;
        }

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        for (var i = 0; i < 100; i++)
        {
            var value = string.Create(CultureInfo.InvariantCulture, $"probe-{i}");
            using var request = new HttpRequestMessage(HttpMethod.Get, "Account/Login");
            request.Headers.Add("Cookie", $"{AffinityCookie}={value}");
            using var response = await client.SendAsync(request);
            var served = ServedBy(response);
            _affinityByNode.TryAdd(served, value);
            if (served == node.Name)
            {
                return _affinityByNode[node.Name];
            }
        }

        throw new InvalidOperationException($"No affinity value of 100 tried reached {node}; nginx:\n{Nginx.Output}");
    }

    /// <summary>The node that answered, from the app's X-Portal-Node header.</summary>
    public static string ServedBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Portal-Node", out var values)
            ? values.Single()
            : throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} was answered without X-Portal-Node ({(int)response.StatusCode}).");

    /// <summary>The New orders of a merchant, read from the database.</summary>
    public async Task<int> NewCountAsync(string merchant)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = new NpgsqlCommand("""
            SELECT count(*) FROM "Orders" AS o JOIN "Merchants" AS m ON m."Id" = o."MerchantId"
            WHERE m."Name" = $1 AND o."Status" = 0
            """, connection) { Parameters = { new() { Value = merchant } } };
        return (int)(long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>The highest order number of a merchant: the next order written gets the one after.</summary>
    public async Task<int> LastOrderNumberAsync(string merchant)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var last = new NpgsqlCommand("""
            SELECT COALESCE(MAX(o."Number"), 0) FROM "Orders" AS o JOIN "Merchants" AS m ON m."Id" = o."MerchantId" WHERE m."Name" = $1
            """, connection) { Parameters = { new() { Value = merchant } } };
        return (int)(await last.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>
    /// One New order written by this process on its own connection (neither node wrote it). Through
    /// EF like every writer of the app, so the merchant's order-number counter moves with it: a
    /// plain INSERT (Psql.InsertOrderSql) would leave it behind, and the next seed on this shared
    /// database would collide on the (merchant, number) index.
    /// </summary>
    public async Task InsertOrderAsync(string merchant, string customer)
    {
        await using var db = Database.CreateOutsideContext();
        var shop = await db.Merchants.SingleAsync(m => m.Name == merchant, TestContext.Current.CancellationToken);
        var order = new OrderGenerator().Next(shop, DateTime.UtcNow);
        order.CustomerName = customer;
        db.Orders.Add(order);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Both nodes' and nginx's output, for failure messages.</summary>
    public string Output => $"--- {A}\n{A?.Output}\n--- {B}\n{B?.Output}\n--- nginx\n{Nginx?.Output}";

    public async ValueTask DisposeAsync()
    {
        // Twice when start-up failed (here, then by the owner's `await using`): once is enough.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        foreach (var node in new[] { A, B })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        // After the database: a role that owns objects cannot be dropped, and its tables went with it.
        foreach (var role in _roles)
        {
            await AdministerAsync($"DROP ROLE IF EXISTS \"{role}\"");
        }
    }

    /// <summary>
    /// A node with a database role of its own (trust authentication, superuser: it migrates and
    /// owns tables the other node uses), so pg_stat_statements counts each node's queries apart.
    /// </summary>
    private async Task<PortalNode> NodeAsync(string name)
    {
        var role = $"{_rolePrefix}_{name.Replace('-', '_')}";
        await AdministerAsync($"CREATE ROLE \"{role}\" LOGIN SUPERUSER");
        _roles.Add(role);
        var connectionString = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Username = role }.ConnectionString;
        return new PortalNode(name, role, connectionString, Database.AppEnvironment());
    }

    private static async Task AdministerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresTestDatabase.ConnectionStringFor("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
