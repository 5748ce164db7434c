using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Tests.Components.Admin;

/// <summary>
/// One migrated, demo-seeded SQLite file per admin test class: the tests of a class run one
/// after another and each uses its own names, so they can share it.
/// </summary>
public sealed class AdminPageDatabase : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Database.MigrateAsync();
        await DemoDataTests.SeedAsync(Database);
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();

    public Task<PortalComponentContext> SignInAsync(string email = "admin@demo.local") => PortalComponentContext.CreateAsync(Database, email);

    /// <summary>Rows of every table the admin pages write, to prove a refused action wrote nothing.</summary>
    public async Task<(int Merchants, int Users, int Orders, int Activity)> CountsAsync()
    {
        await using var db = Database.CreateDbContext();
        return (await db.Merchants.CountAsync(), await db.Users.CountAsync(), await db.Orders.CountAsync(), await db.Activity.CountAsync());
    }
}
