using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Tests.Data;

/// <summary>
/// EF Core's "First/FirstOrDefault without OrderBy and filter" warning fails every test that reads
/// through the app's registrations (TestDatabase turns it into an exception): a query that may
/// return any row is a defect, not a log line. These tests prove the guard is on, and run the
/// query the soak's log named without it.
/// </summary>
public sealed class QueryWarningTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AFirstWithNeitherOrderNorFilterFailsInTests(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await using var db = database.CreateDbContext();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            db.Orders.Select(o => o.Id).FirstOrDefaultAsync(TestContext.Current.CancellationToken));
        Assert.Contains(nameof(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.FirstWithoutOrderByAndFilterWarning), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheAlarmIsReadWithoutEfWarningsWithAndWithoutOrders(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        await using var db = database.CreateDbContext();
        var shop = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");

        var before = await db.AlarmAsync(shop, ct);
        await TestOrders.InsertAsync(db, "Demo Shop 1", 2);
        var after = await db.AlarmAsync(shop, ct);

        Assert.Equal(before.Unacknowledged + 2, after.Unacknowledged);
        Assert.Equal(OrderAlarm.Off, await db.AlarmAsync(shop + 1000, ct));
    }
}
