using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>Writes orders the way any writer would: a plain EF insert on its own connection.</summary>
public static class TestOrders
{
    public static async Task<List<Order>> InsertAsync(PortalDbContext db, string merchantName, int count = 1)
    {
        var merchant = await db.Merchants.SingleAsync(m => m.Name == merchantName);
        var generator = new OrderGenerator();
        var orders = Enumerable.Range(0, count).Select(_ => generator.Next(merchant, DateTime.UtcNow)).ToList();
        db.Orders.AddRange(orders);
        await db.SaveChangesAsync();
        return orders;
    }

    public static async Task<int> MerchantIdAsync(PortalDbContext db, string merchantName) =>
        await db.Merchants.Where(m => m.Name == merchantName).Select(m => m.Id).SingleAsync();

    /// <summary>
    /// A context on any SQLite file, outside the app's service provider (e.g. a file moved away);
    /// for a test database of either provider, <see cref="TestDatabase.CreateOutsideContext"/>.
    /// </summary>
    public static PortalDbContext Open(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(connectionString).Options;
        return new PortalDbContext(options);
    }
}
