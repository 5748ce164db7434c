using Bunit;
using MerchantPortal.Components.Pages.Orders;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Npgsql;
using static MerchantPortal.Tests.Components.OrderPages;

namespace MerchantPortal.Tests.Crash;

/// <summary>
/// The order page (bUnit, the app's real services) on a PostgreSQL database that refuses writes:
/// Accept and Acknowledge show an error toast saying the database is read-only, instead of an
/// unhandled exception ending the circuit, and the page keeps showing the order as it is.
/// </summary>
public sealed class ReadOnlyOrderPageTests
{
    [Fact]
    public async Task AcceptAndAcknowledgeSayTheDatabaseIsReadOnlyAndThePageKeepsShowingTheOrder()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        Order order;
        await using (var db = database.CreateDbContext())
        {
            var shop = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
            order = await db.Orders.AsNoTracking().FirstAsync(o => o.MerchantId == shop && o.Status == OrderStatus.New, Xunit.TestContext.Current.CancellationToken);
        }

        await using var ctx = await OpenAsync(database, "merchant1@demo.local", poll: false);
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        var (exit, output) = await Psql.RunAsync(database.ConnectionString, $"ALTER DATABASE \"{name}\" SET default_transaction_read_only = on");
        Assert.True(exit == 0, output);
        NpgsqlConnection.ClearAllPools(); // the setting reaches new sessions only

        var page = ctx.Render<OrderDetails>(p => p.Add(x => x.Id, order.Id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=accept-order]")), Deadline);
        var snackbar = ctx.Services.GetRequiredService<ISnackbar>();

        await page.Find("[data-testid=accept-order]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars, s => (s.Message ?? "").Contains("read-only", StringComparison.Ordinal) && s.Severity == Severity.Error), Deadline);
        // Same text, so MudBlazor's PreventDuplicates shows no second toast; what matters is that
        // the click returns (an unhandled exception would be thrown here, as it would end a circuit).
        await page.Find("[data-testid=acknowledge-order]").ClickAsync(new());
        Assert.Contains(snackbar.ShownSnackbars, s => (s.Message ?? "").Contains("read-only", StringComparison.Ordinal));

        // Still the same order, still New and unacknowledged, on the page and in the database.
        Assert.NotNull(page.Find("[data-testid=accept-order]"));
        var stored = await ReadAsync(database, order.Id);
        Assert.Equal((OrderStatus.New, (DateTime?)null), (stored.Status, stored.AcknowledgedAt));
    }
}
