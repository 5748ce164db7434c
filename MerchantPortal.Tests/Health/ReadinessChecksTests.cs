using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MerchantPortal.Data;
using MerchantPortal.Health;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MerchantPortal.Tests.Health;

/// <summary>
/// The readiness checks as /health/ready runs them (the app's registrations, the health service,
/// every check tagged "ready") against real SQLite files; the change poller is driven one poll at
/// a time and its clock is a FakeTimeProvider, so "failing for longer than three intervals" is exact.
/// </summary>
public sealed class ReadinessChecksTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly List<TestDatabase> _databases = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadyFailsBeforeTheChangePollersFirstPollAndPassesAfterIt()
    {
        var database = await MigratedDatabaseAsync();

        var before = await ReadyAsync(database);
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Equal(HealthStatus.Unhealthy, before.Entries["change-poller"].Status);
        Assert.Equal(HealthStatus.Healthy, before.Entries["database"].Status);
        Assert.Equal(HealthStatus.Healthy, before.Entries["migrations"].Status);

        await Poller(database).TickAsync(Ct);

        Assert.Equal(HealthStatus.Healthy, (await ReadyAsync(database)).Status);
    }

    [Fact]
    public async Task APollerFailingForLessThanThreeIntervalsStaysReadyAndLongerIsUnready()
    {
        var database = await MigratedDatabaseAsync();
        var poller = Poller(database);
        var interval = database.Services.GetRequiredService<IOptions<OrderNotificationOptions>>().Value.PollInterval;
        await poller.TickAsync(Ct);

        // A real failure: the change log's table is gone from the poller's query.
        await SqlAsync(database, """ALTER TABLE "OrderChanges" RENAME TO "OrderChangesAway";""");
        await poller.TickAsync(Ct);
        Assert.NotNull(poller.FailingSince);

        _clock.Advance(2 * interval);
        Assert.Equal(HealthStatus.Healthy, (await ReadyAsync(database)).Status);
        _clock.Advance(interval);
        Assert.Equal(HealthStatus.Healthy, (await ReadyAsync(database)).Status); // exactly three intervals: not longer yet

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var failing = await ReadyAsync(database);
        Assert.Equal(HealthStatus.Unhealthy, failing.Status);
        Assert.Equal([("change-poller", HealthStatus.Unhealthy)],
            failing.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => (e.Key, e.Value.Status)));

        await SqlAsync(database, """ALTER TABLE "OrderChangesAway" RENAME TO "OrderChanges";""");
        await poller.TickAsync(Ct);
        Assert.Null(poller.FailingSince);
        Assert.Equal(HealthStatus.Healthy, (await ReadyAsync(database)).Status);
    }

    [Fact]
    public async Task ReadyFailsWhileTheDatabaseLacksAMigrationAndPassesOnceItIsApplied()
    {
        var database = Track(new TestDatabase(configure: UseFakeClock));
        string last;
        await using (var db = database.CreateDbContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            last = migrations[^1];
            await db.GetService<IMigrator>().MigrateAsync(migrations[^2], Ct);
        }

        await Poller(database).TickAsync(Ct); // the schema the poller reads is all there
        var pending = await ReadyAsync(database);
        Assert.Equal(HealthStatus.Unhealthy, pending.Status);
        Assert.Equal(HealthStatus.Unhealthy, pending.Entries["migrations"].Status);
        Assert.Contains(last, pending.Entries["migrations"].Description, StringComparison.Ordinal);

        await database.MigrateAsync();

        Assert.Equal(HealthStatus.Healthy, (await ReadyAsync(database)).Status);
    }

    [Fact]
    public async Task OnceUpToDateTheMigrationsCheckAnswersFromMemoryWithoutReadingTheHistory()
    {
        var database = await MigratedDatabaseAsync();
        Assert.Equal(HealthStatus.Healthy, (await ReadyAsync(database)).Entries["migrations"].Status);

        // Were the history read again, every migration would now count as pending.
        await SqlAsync(database, """DROP TABLE "__EFMigrationsHistory";""");

        Assert.Equal(HealthStatus.Healthy, (await ReadyAsync(database)).Entries["migrations"].Status);
    }

    [Fact]
    public async Task UnderDashboardPollingNoPollerIsAwaited()
    {
        var folder = Directory.CreateTempSubdirectory("merchantportal-health-");
        try
        {
            await using var services = TestDatabase.BuildServices(new Dictionary<string, string?>
            {
                ["ConnectionStrings:MerchantPortal"] = $"Data Source={Path.Combine(folder.FullName, "portal.db")}",
                ["OrderNotifications:Delivery"] = nameof(OrderDelivery.DashboardPolling),
            }, UseFakeClock);
            await services.MigratePortalDatabaseAsync(services.GetRequiredService<ILoggerFactory>().CreateLogger("test"), Ct);

            var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(IsReady, Ct);

            Assert.Equal(HealthStatus.Healthy, report.Status);
            Assert.Null(services.GetRequiredService<OrderChangePoller>().LastPolledAt);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ADatabaseHostThatNeverAnswersIsUnreadyWithinTheCheckTimeoutNotTheDriversConnectTimeout()
    {
        // Accepts TCP connections (the kernel completes the handshake) and never says a word, as a
        // wedged server or a half-dead network path would; Npgsql would wait 60 s for it here.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var services = TestDatabase.BuildServices(new Dictionary<string, string?>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.PostgreSql),
            ["ConnectionStrings:MerchantPortal"] = $"Host=127.0.0.1;Port={port};Database=portal;Username=postgres;Timeout=60",
        }, UseFakeClock);

        var probe = Stopwatch.StartNew();
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(IsReady, Ct);
        probe.Stop();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["database"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["migrations"].Status);
        Assert.True(probe.Elapsed >= HealthRegistration.CheckTimeout - TimeSpan.FromMilliseconds(100), $"answered in {probe.Elapsed}: the checks did not wait for the server at all");
        Assert.True(probe.Elapsed < HealthRegistration.CheckTimeout + TimeSpan.FromSeconds(3), $"answered in {probe.Elapsed}, not within the {HealthRegistration.CheckTimeout} check timeout");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    private static bool IsReady(HealthCheckRegistration registration) => registration.Tags.Contains(HealthRegistration.ReadyTag);

    private void UseFakeClock(IServiceCollection services)
    {
        services.AddPortalHealth();
        services.AddSingleton<TimeProvider>(_clock);
    }

    private TestDatabase Track(TestDatabase database)
    {
        _databases.Add(database);
        return database;
    }

    private async Task<TestDatabase> MigratedDatabaseAsync()
    {
        var database = Track(new TestDatabase(configure: UseFakeClock));
        await database.MigrateAsync();
        return database;
    }

    private static OrderChangePoller Poller(TestDatabase database) => database.Services.GetRequiredService<OrderChangePoller>();

    private static Task<HealthReport> ReadyAsync(TestDatabase database) =>
        database.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(IsReady, Ct);

    private static async Task SqlAsync(TestDatabase database, string sql)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }
}
