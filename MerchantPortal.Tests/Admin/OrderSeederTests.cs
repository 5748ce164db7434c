using MerchantPortal.Admin;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Admin;

/// <summary>The seeding rules shared by the admin page and the command line, over every provider with an engine here.</summary>
public sealed class OrderSeederOnSqlite() : OrderSeederTests(DatabaseProvider.Sqlite);

public sealed class OrderSeederOnPostgreSql() : OrderSeederTests(DatabaseProvider.PostgreSql);

public abstract class OrderSeederTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly AdminActor Actor = new("tester@test.local", null);
    private TestDatabase _database = null!;

    private OrderSeeder Seeder => _database.Services.GetRequiredService<OrderSeeder>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
        await _database.Services.GetRequiredService<MerchantAdmin>().CreateAsync("Closed Shop", Actor, Ct);
        await using var db = _database.CreateDbContext();
        await db.Merchants.Where(m => m.Name == "Closed Shop").ExecuteUpdateAsync(s => s.SetProperty(m => m.IsActive, false), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    public static TheoryData<string, int, string> BadSeeds => new()
    {
        { "Demo Shop 1", 0, "Count must be from 1 to 1000" },
        { "Demo Shop 1", -3, "Count must be from 1 to 1000" },
        { "Demo Shop 1", 1001, "Count must be from 1 to 1000" },
        { "No Such Shop", 5, "Unknown merchant 'No Such Shop'" },
        { "999999", 5, "Unknown merchant '999999'" },
        { "Closed Shop", 5, "Merchant 'Closed Shop' is inactive" },
    };

    [Theory]
    [MemberData(nameof(BadSeeds))]
    public async Task BadSeedInputIsRefusedWithNothingWritten(string merchant, int count, string message)
    {
        var before = await SnapshotAsync();

        var error = await Assert.ThrowsAsync<AdminInputException>(() => Seeder.SeedAsync(new SeedRequest(merchant, count), Actor, null, Ct));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    public static TheoryData<string, string, decimal, string> BadOrders => new()
    {
        { "Demo Shop 1", "   ", 10m, "Customer name is required" },
        { "Demo Shop 1", "Ann", 0m, "Total must be more than 0" },
        { "Demo Shop 1", "Ann", -5m, "Total must be more than 0" },
        { "Demo Shop 1", "Ann", 100_000.01m, "at most 100000" },
        { "Demo Shop 1", "Ann", 10.001m, "at most two decimal places" },
        { "Demo Shop 1", new string('x', 201), 10m, "at most 200 characters" },
        { "Nope", "Ann", 10m, "Unknown merchant" },
        { "Closed Shop", "Ann", 10m, "is inactive" },
    };

    [Theory]
    [MemberData(nameof(BadOrders))]
    public async Task BadSingleOrderInputIsRefusedWithNothingWritten(string merchant, string customer, decimal total, string message)
    {
        var before = await SnapshotAsync();

        var error = await Assert.ThrowsAsync<AdminInputException>(() => Seeder.CreateOrderAsync(merchant, customer, total, Actor, Ct));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ABatchIsNumberedOnFromTheMerchantsLastOrderAndLogged()
    {
        var result = await Seeder.SeedAsync(new SeedRequest("demo shop 1", 5), Actor, null, Ct);

        Assert.Equal(("Demo Shop 1", 5, 25, 29, false), (result.MerchantName, result.Created, result.FirstNumber, result.LastNumber, result.Cancelled));
        await using var db = _database.CreateDbContext();
        var numbers = await db.Orders.Where(o => o.Merchant!.Name == "Demo Shop 1" && o.Number >= 25).Select(o => o.Number).OrderBy(n => n).ToListAsync(Ct);
        Assert.Equal([25, 26, 27, 28, 29], numbers);
        var entry = await db.Activity.OrderBy(e => e.Id).LastAsync(Ct);
        Assert.Equal(("tester@test.local", "Seeded orders", "Demo Shop 1: 5 orders, #25–#29"), (entry.Actor, entry.Action, entry.Details));
    }

    [Fact]
    public async Task AMerchantCanBeNamedByItsId()
    {
        await using var db = _database.CreateDbContext();
        var id = await TestOrders.MerchantIdAsync(db, "Demo Shop 2");

        var result = await Seeder.SeedAsync(new SeedRequest(id.ToString(System.Globalization.CultureInfo.InvariantCulture), 2), Actor, null, Ct);

        Assert.Equal("Demo Shop 2", result.MerchantName);
    }

    [Fact]
    public async Task OrdersNumberedByAWriterThatBypassesTheCounterDoNotBlockTheNextBatch()
    {
        // An import or plain SQL takes #25 and #26 without moving the merchant's counter (24).
        await using (var db = _database.CreateDbContext())
        {
            var merchantId = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
            var now = DateTime.UtcNow;
            db.Orders.AddRange(Enumerable.Range(25, 2).Select(n => new Order
            {
                MerchantId = merchantId, Number = n, CustomerName = "Imported", Total = 10m, Currency = "EUR",
                ItemCount = 1, Status = OrderStatus.New, CreatedAt = now, StatusChangedAt = now,
            }));
            await db.SaveChangesAsync(Ct);
        }

        var result = await Seeder.SeedAsync(new SeedRequest("Demo Shop 1", 3), Actor, null, Ct);

        Assert.Equal((27, 29), (result.FirstNumber, result.LastNumber));
        await using var check = _database.CreateDbContext();
        var numbers = await check.Orders.Where(o => o.Merchant!.Name == "Demo Shop 1").Select(o => o.Number).ToListAsync(Ct);
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.Equal(29, await check.Merchants.Where(m => m.Name == "Demo Shop 1").Select(m => m.LastOrderNumber).SingleAsync(Ct));
    }

    [Fact]
    public async Task ConcurrentBatchesForOneMerchantNeverShareANumber()
    {
        var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Seeder.SeedAsync(new SeedRequest("Demo Shop 1", 20), Actor, null, Ct)));

        await using var db = _database.CreateDbContext();
        var numbers = await db.Orders.Where(o => o.Merchant!.Name == "Demo Shop 1").Select(o => o.Number).ToListAsync(Ct);
        Assert.Equal(24 + 80, numbers.Count);
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.All(batches, b => Assert.Equal(20, b.Created));
    }

    [Fact]
    public async Task ATrickleReportsProgressAndCanBeCancelledKeepingWhatItCreated()
    {
        using var cancel = new CancellationTokenSource();
        var reported = new List<int>();
        var progress = new SynchronousProgress(done =>
        {
            reported.Add(done);
            if (done == 3)
            {
                cancel.Cancel();
            }
        });

        var result = await Seeder.SeedAsync(new SeedRequest("Demo Shop 2", 50, TimeSpan.FromSeconds(5)), Actor, progress, cancel.Token);

        Assert.Equal([1, 2, 3], reported);
        Assert.True(result.Cancelled);
        Assert.Equal(3, result.Created);
        await using var db = _database.CreateDbContext();
        Assert.Equal(27, await db.Orders.CountAsync(o => o.Merchant!.Name == "Demo Shop 2", Ct));
        Assert.Contains("Created 3 orders", (await db.Activity.OrderBy(e => e.Id).LastAsync(Ct)).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASingleOrderKeepsTheGivenCustomerAndTotal()
    {
        var order = await Seeder.CreateOrderAsync("Demo Shop 1", "  Grace Hopper ", 12.50m, Actor, Ct);

        await using var db = _database.CreateDbContext();
        var stored = await db.Orders.SingleAsync(o => o.Id == order.Id, Ct);
        Assert.Equal(("Grace Hopper", 12.50m, OrderStatus.New, 25), (stored.CustomerName, stored.Total, stored.Status, stored.Number));
    }

    private async Task<(int Orders, int Activity, int Changes)> SnapshotAsync()
    {
        await using var db = _database.CreateDbContext();
        return (await db.Orders.CountAsync(Ct), await db.Activity.CountAsync(Ct), await db.OrderChanges.CountAsync(Ct));
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
