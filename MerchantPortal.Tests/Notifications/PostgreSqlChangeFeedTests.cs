using System.Diagnostics;
using MerchantPortal.Data;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MerchantPortal.Tests.Notifications;

/// <summary>
/// The change feed on a real PostgreSQL database of the test command's cluster: concurrent writers
/// committing out of order, NOTIFY from another process, and the listener losing its connection.
/// The poll interval is 30 s wherever only the wake-up may explain a delivery.
/// </summary>
public sealed class PostgreSqlChangeFeedTests : IAsyncLifetime
{
    /// <summary>Far beyond every deadline below, so a delivery within one can only come from NOTIFY.</summary>
    private static readonly TimeSpan SlowPolling = TimeSpan.FromSeconds(30);

    /// <summary>"Well under one poll interval" on a busy 2-core machine.</summary>
    private static readonly TimeSpan WakeDeadline = TimeSpan.FromSeconds(3);

    private readonly LogCollector _logs = new();
    private readonly NotificationInbox _shop1 = new();
    private TestDatabase _database = null!;
    private IDisposable? _subscription;
    private int _shop1Id;
    private int _nextNumber = 100_000;

    private OrderChangePoller Poller => _database.Services.GetRequiredService<OrderChangePoller>();

    private PostgreSqlChangeListener Listener => _database.Services.GetRequiredService<PostgreSqlChangeListener>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, services =>
        {
            services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning));
            services.Configure<OrderNotificationOptions>(o => o.PollInterval = SlowPolling);
        });
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
        await using var db = _database.CreateDbContext();
        _shop1Id = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
        _subscription = _database.Services.GetRequiredService<OrderNotifier>().Subscribe(_shop1Id, _shop1.Add);
    }

    [Fact]
    public async Task ALowerChangeIdCommittedTwoSecondsAfterAHigherOneIsDeliveredOnceByThePollAfterItsCommit()
    {
        await Poller.PollOnceAsync(Ct); // the starting watermark

        // Transaction A takes the lower change id and stays open; B takes the next one and commits.
        await using var a = await OpenAsync();
        await using var transactionA = await a.BeginTransactionAsync(Ct);
        var lateOrder = await InsertOrderAsync(a, "Late but lower");
        await using (var b = await OpenAsync())
        {
            await InsertOrderAsync(b, "Early but higher");
        }

        Assert.Equal(1, await Poller.PollOnceAsync(Ct));
        var early = Assert.Single((await _shop1.NextAsync()).Changes);

        // A stays open for 2 s: every poll meanwhile finds nothing new and delivers nothing twice.
        var open = Stopwatch.StartNew();
        while (open.Elapsed < TimeSpan.FromSeconds(2))
        {
            Assert.Equal(0, await Poller.PollOnceAsync(Ct));
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct); // the poller's own rhythm, compressed
        }

        await transactionA.CommitAsync(Ct);

        Assert.Equal(1, await Poller.PollOnceAsync(Ct)); // the very next poll
        var late = Assert.Single((await _shop1.NextAsync()).Changes);
        Assert.Equal(lateOrder, late.OrderId);
        Assert.True(late.ChangeId < early.ChangeId, $"change {late.ChangeId} should be lower than {early.ChangeId}");
        Assert.Equal(0, await Poller.PollOnceAsync(Ct));
        Assert.True(await _shop1.StaysEmptyAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task AnOpenTransactionDoesNotHoldBackChangesCommittedAfterIt()
    {
        await Poller.PollOnceAsync(Ct);
        await using var idle = await OpenAsync();
        await using var idleTransaction = await idle.BeginTransactionAsync(Ct);
        await InsertOrderAsync(idle, "Never committed");

        for (var i = 0; i < 3; i++)
        {
            await using (var writer = await OpenAsync())
            {
                await InsertOrderAsync(writer, $"Committed {i}");
            }

            Assert.Equal(1, await Poller.PollOnceAsync(Ct));
            Assert.Equal($"Committed {i}", Assert.Single((await _shop1.NextAsync()).Changes).CustomerName);
        }

        await idleTransaction.RollbackAsync(Ct);
        Assert.Equal(0, await Poller.PollOnceAsync(Ct));
    }

    [Fact]
    public async Task AnOrderWrittenWithPsqlReachesTheNotifierThroughNotifyWellUnderThePollInterval()
    {
        await StartAsync();

        var (exitCode, output) = await Psql.RunAsync(_database.ConnectionString, InsertSql("From psql"));
        var written = Stopwatch.StartNew();
        Assert.True(exitCode == 0, output);

        var change = Assert.Single((await _shop1.NextAsync(WakeDeadline)).Changes);
        Assert.Equal("From psql", change.CustomerName);
        TestContext.Current.TestOutputHelper?.WriteLine($"delivered {written.ElapsedMilliseconds} ms after psql exited (poll interval {SlowPolling})");
    }

    [Fact]
    public async Task WhenTheListenersBackendIsKilledItReconnectsAndNothingIsLost()
    {
        await StartAsync();
        var first = await ListenerBackendAsync();
        Assert.NotNull(first);

        await using (var admin = await OpenAsync())
        {
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend($1)", admin) { Parameters = { new() { Value = first!.Value } } };
            await kill.ExecuteScalarAsync(Ct);
            await InsertOrderAsync(admin, "While the listener was away");
        }

        // Reconnecting wakes the poller once: what committed meanwhile arrives without waiting 30 s.
        Assert.Equal("While the listener was away", Assert.Single((await _shop1.NextAsync(WakeDeadline + TimeSpan.FromSeconds(2))).Changes).CustomerName);
        var second = await ListenerBackendAsync();
        Assert.NotNull(second);
        Assert.NotEqual(first, second);

        await using (var writer = await OpenAsync())
        {
            await InsertOrderAsync(writer, "After the reconnect");
        }

        Assert.Equal("After the reconnect", Assert.Single((await _shop1.NextAsync(WakeDeadline)).Changes).CustomerName);
        Assert.Single(_logs.Entries, e => e.Category == typeof(PostgreSqlChangeListener).FullName && e.Level == LogLevel.Warning);
    }

    /// <summary>The poller and listener as the app runs them; returns once LISTEN is in place and the watermark taken.</summary>
    private async Task StartAsync()
    {
        await Poller.StartAsync(Ct);
        await Listener.StartAsync(Ct);
        await Eventually.HoldsAsync(() => Listener.Listening && Poller.Watermark is not null, "The listener never started listening.");
    }

    /// <summary>The listener's backend process id once it is listening again, or null.</summary>
    private async Task<int?> ListenerBackendAsync()
    {
        var deadline = Stopwatch.StartNew();
        await using var connection = await OpenAsync();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await using var find = new NpgsqlCommand("""
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'MerchantPortal change listener'
                """, connection);
            if (Listener.Listening && await find.ExecuteScalarAsync(Ct) is int pid)
            {
                return pid;
            }

            await Task.Delay(50, Ct);
        }

        return null;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    /// <summary>
    /// Inserts one New order the way a writer bypassing the app would; returns its id. Numbers are
    /// handed out here, not by MAX + 1, so concurrent transactions never wait on each other's number.
    /// </summary>
    private async Task<long> InsertOrderAsync(NpgsqlConnection connection, string customer)
    {
        await using var insert = new NpgsqlCommand(InsertSql(customer) + " RETURNING \"Id\"", connection);
        return (long)(await insert.ExecuteScalarAsync(Ct))!;
    }

    private string InsertSql(string customer) => $"""
        INSERT INTO "Orders" ("MerchantId", "Number", "CustomerName", "Total", "Currency", "ItemCount", "Status", "CreatedAt", "StatusChangedAt")
        VALUES ({_shop1Id}, {Interlocked.Increment(ref _nextNumber)}, '{customer.Replace("'", "''", StringComparison.Ordinal)}', 12.50, 'EUR', 1, 0, now(), now())
        """;

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await Listener.StopAsync(CancellationToken.None);
        await Poller.StopAsync(CancellationToken.None);
        await _database.DisposeAsync();
    }
}
