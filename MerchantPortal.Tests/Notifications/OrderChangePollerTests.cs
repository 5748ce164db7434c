using System.Diagnostics;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Tests.Notifications;

/// <summary>The poller on SQLite, with the tests only a SQLite file can have.</summary>
public sealed class OrderChangePollerOnSqlite() : OrderChangePollerTests(DatabaseProvider.Sqlite)
{
    // SQLite-only by nature: the outage is the database FILE moving away (with its WAL companions,
    // after a checkpoint) and coming back. PostgreSqlOutageTests stops and restarts a real server.
    [Fact]
    public async Task TheDatabaseGoingAwayAndComingBackLosesNothingAndIsLoggedOnce()
    {
        var interval = Database.Services.GetRequiredService<IOptions<OrderNotificationOptions>>().Value.PollInterval;
        var watermark = Poller.Watermark;
        await CheckpointAsync();
        var away = Database.FilePath + ".away";
        MoveDatabase(Database.FilePath, away);

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            delays.Add(await Poller.TickAsync(Ct));
        }

        // Another node keeps taking orders while this one cannot reach the database.
        await using (var elsewhere = TestOrders.Open($"Data Source={away};Pooling=False"))
        {
            await TestOrders.InsertAsync(elsewhere, "Demo Shop 1", 2);
        }

        MoveDatabase(away, Database.FilePath);
        Assert.Equal(interval, await Poller.TickAsync(Ct));

        Assert.All(delays, d => Assert.True(d > interval, $"retry delay {d} should back off beyond {interval}"));
        Assert.True(delays[2] >= delays[1] && delays[1] >= delays[0]);
        Assert.Equal(watermark + 2, Poller.Watermark);
        Assert.Equal(2, (await Shop1.NextAsync()).Created.Count());
        var pollerLogs = Logs.Entries.Where(e => e.Category == typeof(OrderChangePoller).FullName).ToList();
        Assert.Single(pollerLogs, e => e.Level == LogLevel.Error);
        Assert.Single(pollerLogs, e => e.Level == LogLevel.Information && e.Message.Contains("recovered after 3 failed poll(s)", StringComparison.Ordinal));
    }

    /// <summary>The file and its WAL companions travel together, as a real outage would keep them.</summary>
    private static void MoveDatabase(string from, string to)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(from + suffix))
            {
                File.Move(from + suffix, to + suffix, overwrite: true);
            }
        }
    }

    private async Task CheckpointAsync()
    {
        await using var connection = new SqliteConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await command.ExecuteNonQueryAsync(Ct);
    }
}

public sealed class OrderChangePollerOnPostgreSql() : OrderChangePollerTests(DatabaseProvider.PostgreSql);

/// <summary>The poller against a real database of each provider, driven one poll at a time.</summary>
public abstract class OrderChangePollerTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private TestDatabase _database = null!;
    private readonly NotificationInbox _shop1 = new();
    private readonly NotificationInbox _shop2 = new();
    private readonly List<IDisposable> _subscriptions = [];
    private int _shop1Id;
    private int _shop2Id;

    // Counted by the app's own merchantportal.db.commands metric, the figure operators and the load harness read.
    private CommandMeter _queries = null!;

    protected TestDatabase Database => _database;

    protected LogCollector Logs { get; } = new();

    protected NotificationInbox Shop1 => _shop1;

    protected OrderChangePoller Poller => _database.Services.GetRequiredService<OrderChangePoller>();

    private OrderNotifier Notifier => _database.Services.GetRequiredService<OrderNotifier>();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        void Configure(IServiceCollection services) =>
            services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning));
        if (provider == DatabaseProvider.Sqlite)
        {
            // No pooling: the outage test must really lose the file, not keep a pooled handle to it.
            _database = new TestDatabase("Mode=ReadWrite;Pooling=False", Configure);
            // Mode=ReadWrite cannot create the file: let migrations create it first.
            await using var create = TestOrders.Open($"Data Source={_database.FilePath}");
            await create.Database.MigrateAsync();
        }
        else
        {
            _database = await TestDatabase.CreateAsync(provider, Configure);
        }

        // Counted by the app's own merchantportal.db.commands metric, the figure operators and the load harness read.
        _queries = new CommandMeter(_database.Services);
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
        await using var db = _database.CreateDbContext();
        _shop1Id = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
        _shop2Id = await TestOrders.MerchantIdAsync(db, "Demo Shop 2");
        _subscriptions.Add(Notifier.Subscribe(_shop1Id, _shop1.Add));
        _subscriptions.Add(Notifier.Subscribe(_shop2Id, _shop2.Add));
        await Poller.PollOnceAsync(Ct); // takes the starting watermark
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        _subscriptions.ForEach(s => s.Dispose());
        _queries?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnInsertFromAnotherConnectionIsPublishedOnceToItsMerchantOnly()
    {
        int expectedCount;
        await using (var writer = _database.CreateOutsideContext())
        {
            await TestOrders.InsertAsync(writer, "Demo Shop 1");
            expectedCount = await writer.CountNewAsync(_shop1Id, Ct);
        }

        Assert.Equal(1, await Poller.PollOnceAsync(Ct));
        Assert.Equal(0, await Poller.PollOnceAsync(Ct));

        var notification = await _shop1.NextAsync();
        var change = Assert.Single(notification.Changes);
        Assert.Equal(OrderChangeKind.Created, change.Kind);
        Assert.Equal(expectedCount, notification.NewOrderCount);
        Assert.True(await _shop1.StaysEmptyAsync(Quiet));
        Assert.True(await _shop2.StaysEmptyAsync(Quiet));
    }

    [Fact]
    public async Task AnInsertFromAnotherProcessIsPublished()
    {
        // The database's own command-line client (sqlite3 or psql): a writer that is neither the app nor .NET.
        var (exitCode, output) = provider == DatabaseProvider.Sqlite
            ? await Sqlite3Async(_database.FilePath, SqliteInsert(_shop2Id))
            : await Psql.RunAsync(_database.ConnectionString, Psql.InsertOrderSql("Demo Shop 2", "Written by psql"));
        Assert.True(exitCode == 0, output);

        Assert.Equal(1, await Poller.PollOnceAsync(Ct));
        var change = Assert.Single((await _shop2.NextAsync()).Changes);
        Assert.Equal(provider == DatabaseProvider.Sqlite ? "Written by sqlite3" : "Written by psql", change.CustomerName);
        Assert.Equal(12.50m, change.Total);
    }

    [Fact]
    public async Task AStatusChangeIsPublishedWithTheLowerCount()
    {
        await using var writer = _database.CreateOutsideContext();
        var before = await writer.CountNewAsync(_shop1Id, Ct);
        var order = await writer.OfMerchant(_shop1Id).FirstAsync(o => o.Status == OrderStatus.New, Ct);
        Assert.True(await writer.DecideAsync(_shop1Id, order.Id, OrderStatus.Accepted, DateTime.UtcNow, ct: Ct));

        Assert.Equal(1, await Poller.PollOnceAsync(Ct));

        var notification = await _shop1.NextAsync();
        var change = Assert.Single(notification.Changes);
        Assert.Equal((OrderChangeKind.StatusChanged, OrderStatus.Accepted, order.Id), (change.Kind, change.Status, change.OrderId));
        Assert.Equal(before - 1, notification.NewOrderCount);
    }

    [Fact]
    public async Task AnIdleTickIssuesExactlyOneQuery()
    {
        for (var tick = 0; tick < 5; tick++)
        {
            _queries.Reset();
            Assert.Equal(0, await Poller.PollOnceAsync(Ct));
            Assert.Equal(1, _queries.Count);
        }
    }

    [Fact]
    public async Task ATickWithChangesForSeveralMerchantsAddsOneQuery()
    {
        await using (var writer = _database.CreateOutsideContext())
        {
            await TestOrders.InsertAsync(writer, "Demo Shop 1", 3);
            await TestOrders.InsertAsync(writer, "Demo Shop 2", 2);
        }

        _queries.Reset();
        Assert.Equal(5, await Poller.PollOnceAsync(Ct));
        Assert.Equal(2, _queries.Count);
        Assert.Equal(3, (await _shop1.NextAsync()).Changes.Count);
        Assert.Equal(2, (await _shop2.NextAsync()).Changes.Count);

        // Both are the poller's own (its share is what issue 16 bounds); a page's query after it is not.
        Assert.Equal(2, _queries.CountOf(DatabaseCommandMetrics.ChangePollerSource));
        await using var page = await _database.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        await page.CountNewAsync(_shop1Id, Ct);
        Assert.Equal((2, 1), (_queries.CountOf(DatabaseCommandMetrics.ChangePollerSource), _queries.CountOf("app")));
    }

    [Fact]
    public async Task WakeUpsWithinTheWakeGapShareOnePoll()
    {
        // A poller of its own, woken only by Wake (a minute's interval never comes in the test).
        var gap = TimeSpan.FromSeconds(1);
        var poller = ActivatorUtilities.CreateInstance<OrderChangePoller>(_database.Services,
            Options.Create(new OrderNotificationOptions { PollInterval = TimeSpan.FromMinutes(1), WakeGap = gap }));
        await poller.StartAsync(Ct);
        try
        {
            await Eventually.HoldsAsync(() => poller.Watermark is not null, "The poller never took its watermark");
            await using var writer = _database.CreateOutsideContext();
            await TestOrders.InsertAsync(writer, "Demo Shop 1");
            var firstWoken = Stopwatch.GetTimestamp();
            poller.Wake();
            Assert.Single((await _shop1.NextAsync()).Created);

            // A burst: each commit wakes the poller, as NOTIFY does per transaction.
            await TestOrders.InsertAsync(writer, "Demo Shop 1", 3);
            poller.Wake();
            poller.Wake();
            poller.Wake();
            var burst = await _shop1.NextAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(3, burst.Created.Count());
            Assert.True(Stopwatch.GetElapsedTime(firstWoken) >= gap, $"The burst was polled {Stopwatch.GetElapsedTime(firstWoken)} after the first wake-up, inside the {gap} gap");
            // The wake-ups taken back: no further poll, so no further notification.
            Assert.True(await _shop1.StaysEmptyAsync(Quiet));
        }
        finally
        {
            await poller.StopAsync(CancellationToken.None);
            poller.Dispose();
        }
    }

    /// <summary>One New order of 12.50 (SQLite stores whole cents) for the merchant with that id.</summary>
    private static string SqliteInsert(int merchantId) => string.Format(System.Globalization.CultureInfo.InvariantCulture, """
        INSERT INTO "Orders" ("MerchantId", "Number", "CustomerName", "Total", "Currency", "ItemCount", "Status", "CreatedAt", "StatusChangedAt")
        VALUES ({0}, 900001, 'Written by sqlite3', 1250, 'EUR', 2, 0, '2026-11-22 12:00:00', '2026-11-22 12:00:00');
        """, merchantId);

    private static async Task<(int ExitCode, string Output)> Sqlite3Async(string file, string sql)
    {
        var start = new ProcessStartInfo("sqlite3") { RedirectStandardError = true };
        foreach (var arg in new[] { "-cmd", ".timeout 5000", file, sql })
        {
            start.ArgumentList.Add(arg);
        }

        using var sqlite = Process.Start(start)!;
        await sqlite.WaitForExitAsync(Ct);
        return (sqlite.ExitCode, await sqlite.StandardError.ReadToEndAsync(Ct));
    }
}
