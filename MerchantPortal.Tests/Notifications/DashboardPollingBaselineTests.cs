using System.Diagnostics;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Notifications;

public sealed class DashboardPollingBaselineOnSqlite() : DashboardPollingBaselineTests(DatabaseProvider.Sqlite);

public sealed class DashboardPollingBaselineOnPostgreSql() : DashboardPollingBaselineTests(DatabaseProvider.PostgreSql);

/// <summary>
/// The benchmark baseline (OrderNotifications:Delivery = DashboardPolling) on a real database of each provider:
/// each dashboard's own timer must find orders written by another connection, with no change
/// poller and no notifier subscription involved, or the harness would compare against a fake.
/// </summary>
public abstract class DashboardPollingBaselineTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private TestDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider, services =>
            services.Configure<OrderNotificationOptions>(o =>
            {
                o.Delivery = OrderDelivery.DashboardPolling;
                o.DashboardPollInterval = Interval;
            }));
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task EachDashboardFindsAnotherWritersOrdersOnItsOwnTimer()
    {
        await using var scope = await SignedInScopeAsync("merchant1@demo.local");
        var live = scope.ServiceProvider.GetRequiredService<MerchantLiveOrders>();
        var seen = new List<OrderNotification>();
        live.Changed += n => { lock (seen) { seen.Add(n); } };
        Assert.True(await live.StartAsync());
        var countBefore = live.NewOrderCount;

        await using var writer = _database.CreateOutsideContext();
        var written = await TestOrders.InsertAsync(writer, "Demo Shop 1", count: 2);
        await TestOrders.InsertAsync(writer, "Demo Shop 2");

        // The count is set just before the announcement is raised: wait for both.
        List<int> Announced()
        {
            lock (seen)
            {
                return [.. seen.SelectMany(n => n.Created).Select(c => c.Number)];
            }
        }

        var clock = Stopwatch.StartNew();
        while (live.NewOrderCount != countBefore + 2 || Announced().Count < 2)
        {
            Assert.True(clock.Elapsed < Deadline, $"The dashboard's own poll did not see the orders within {Deadline}; count {live.NewOrderCount}, announced {Announced().Count}.");
            await Task.Delay(20, Ct);
        }

        var announced = Announced();

        // Both of shop 1's orders announced once each; shop 2's never; nothing that existed before.
        Assert.Equal(written.Select(o => o.Number).Order(), announced.Order());
        Assert.Equal(0, _database.Services.GetRequiredService<OrderNotifier>().SubscriberCount);
    }

    [Fact]
    public async Task TheChangePollerStaysOff()
    {
        var poller = _database.Services.GetRequiredService<OrderChangePoller>();

        await poller.StartAsync(Ct);
        await (poller.ExecuteTask ?? Task.CompletedTask).WaitAsync(Deadline, Ct);

        Assert.True(poller.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Null(poller.Watermark);
        await poller.StopAsync(Ct);
    }

    [Fact]
    public async Task DisposingTheCircuitStopsItsPolling()
    {
        using var metrics = new CommandMeter(_database.Services);
        var scope = await SignedInScopeAsync("merchant1@demo.local");
        var live = scope.ServiceProvider.GetRequiredService<MerchantLiveOrders>();
        Assert.True(await live.StartAsync());
        await metrics.WaitForMoreThanAsync(3, Deadline);

        await scope.DisposeAsync();
        var afterDispose = metrics.Count;
        // A poll may have been in flight at dispose; after that, ten intervals without a command.
        await Task.Delay(Interval, Ct);
        var settled = metrics.Count;
        await Task.Delay(Interval * 10, Ct);

        Assert.InRange(settled - afterDispose, 0, 2);
        Assert.Equal(settled, metrics.Count);
    }

    private async Task<AsyncServiceScope> SignedInScopeAsync(string email)
    {
        var principal = await _database.PrincipalForAsync(email);
        var scope = _database.Services.CreateAsyncScope();
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return scope;
    }
}
