using MerchantPortal.Data;
using MerchantPortal.Setup;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MerchantPortal.Tests.Notifications;

/// <summary>
/// The database server stopped for 10 s and started again, on a cluster of the test's own: the
/// poller and the listener each report the outage once, recover by themselves, and every order
/// written before and after is delivered exactly once.
/// </summary>
public sealed class PostgreSqlOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AfterTheServerIsStoppedForTenSecondsAndStartedAgainEveryOrderIsDeliveredOnceAndEachOutageLoggedOnce()
    {
        await using var cluster = await PrivatePostgresCluster.StartAsync();
        await cluster.CreateDatabaseAsync("portal");
        var logs = new LogCollector();
        await using var services = TestDatabase.BuildServices(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:MerchantPortal"] = cluster.ConnectionString("portal"),
        }, s =>
        {
            s.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None).AddFilter("Npgsql", LogLevel.None));
            s.Configure<OrderNotificationOptions>(o => (o.PollInterval, o.MaxRetryDelay) = (TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)));
        });
        await services.MigratePortalDatabaseAsync(services.GetRequiredService<ILoggerFactory>().CreateLogger("test"), Ct);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AccountSetup>().EnsureRolesAsync();
            await scope.ServiceProvider.GetRequiredService<DemoData>().EnsureCreatedAsync(Ct);
        }

        var inbox = new NotificationInbox();
        int shop;
        await using (var db = services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            shop = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
        }

        using var subscription = services.GetRequiredService<OrderNotifier>().Subscribe(shop, inbox.Add);
        var poller = services.GetRequiredService<OrderChangePoller>();
        var listener = services.GetRequiredService<PostgreSqlChangeListener>();
        await poller.StartAsync(Ct);
        await listener.StartAsync(Ct);
        await Eventually.HoldsAsync(() => listener.Listening && poller.Watermark is not null, "the listener never listened");

        await cluster.InsertOrderAsync("Before the outage");
        Assert.Equal(["Before the outage"], await CustomersAsync(inbox, 1));

        await cluster.StopAsync();
        Assert.True(await inbox.StaysEmptyAsync(TimeSpan.FromSeconds(10)));
        await cluster.StartAgainAsync();
        await cluster.InsertOrderAsync("After the outage 1");
        await cluster.InsertOrderAsync("After the outage 2");

        // Retries back off to at most 1 s here, so both arrive within a few seconds, each once.
        Assert.Equal(["After the outage 1", "After the outage 2"], (await CustomersAsync(inbox, 2)).Order());
        Assert.True(await inbox.StaysEmptyAsync(TimeSpan.FromSeconds(1)), "a change was delivered twice");

        var entries = logs.Entries.ToList();
        Assert.Single(entries, e => e.Category == typeof(OrderChangePoller).FullName && e.Level == LogLevel.Error);
        Assert.Single(entries, e => e.Category == typeof(OrderChangePoller).FullName && e.Message.Contains("recovered after", StringComparison.Ordinal));
        Assert.Single(entries, e => e.Category == typeof(PostgreSqlChangeListener).FullName && e.Level == LogLevel.Warning);
        await Eventually.HoldsAsync(() => listener.Listening, "the listener never came back");
        Assert.Contains(logs.Entries, e => e.Category == typeof(PostgreSqlChangeListener).FullName && e.Message.Contains("reconnected", StringComparison.Ordinal));

        await listener.StopAsync(CancellationToken.None);
        await poller.StopAsync(CancellationToken.None);
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task<List<string>> CustomersAsync(NotificationInbox inbox, int count)
    {
        var customers = new List<string>();
        while (customers.Count < count)
        {
            customers.AddRange((await inbox.NextAsync(TimeSpan.FromSeconds(10))).Created.Select(c => c.CustomerName));
        }

        return customers;
    }
}
