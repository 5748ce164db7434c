using MerchantPortal.Data;
using MerchantPortal.Data.Merchants;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using Microsoft.AspNetCore.Identity;
using MerchantPortal.Data.Users;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Setup;

/// <summary>
/// Development-only accounts and orders (listed in README.md). Idempotent: each piece is
/// created only when missing, so restarts neither duplicate nor reset anything.
/// </summary>
public sealed class DemoData(
    PortalDbContext db, UserManager<PortalUser> users, AccountSetup accounts, TimeProvider clock, ILogger<DemoData> logger)
{
    public const string Password = "Demo!2345";
    public const string AdminEmail = "admin@demo.local";

    public static readonly IReadOnlyList<(string Shop, string Email)> Merchants =
    [
        ("Demo Shop 1", "merchant1@demo.local"),
        ("Demo Shop 2", "merchant2@demo.local"),
    ];

    private const int OrdersPerShop = 24;

    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        if (await users.FindByEmailAsync(AdminEmail) is null)
        {
            await accounts.CreateAdminAsync(AdminEmail, Password);
        }

        var generator = new OrderGenerator(seed: 2345);
        foreach (var (shop, email) in Merchants)
        {
            var merchant = await db.Merchants.SingleOrDefaultAsync(m => m.Name == shop, ct);
            if (merchant is null)
            {
                merchant = new Merchant { Name = shop, CreatedAt = clock.GetUtcNow().UtcDateTime };
                db.Merchants.Add(merchant);
                await db.SaveChangesAsync(ct);
            }

            if (await users.FindByEmailAsync(email) is null)
            {
                await accounts.CreateMerchantUserAsync(email, Password, merchant.Id);
            }

            if (!await db.Orders.AnyAsync(o => o.MerchantId == merchant.Id, ct))
            {
                db.Orders.AddRange(DemoOrders(generator, merchant));
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Demo data: created {Count} orders for {Merchant}", OrdersPerShop, shop);
            }
        }
    }

    /// <summary>Three days of history, oldest first; the newest few are still New.</summary>
    private IEnumerable<Order> DemoOrders(OrderGenerator generator, Merchant merchant)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        OrderStatus[] settled = [OrderStatus.Completed, OrderStatus.Accepted, OrderStatus.Completed, OrderStatus.Rejected];
        for (var i = 0; i < OrdersPerShop; i++)
        {
            var age = TimeSpan.FromMinutes((OrdersPerShop - i) * 170);
            var status = i >= OrdersPerShop - 3 ? OrderStatus.New : settled[i % settled.Length];
            var order = generator.Next(merchant, now - age, status);
            if (status != OrderStatus.New)
            {
                order.StatusChangedAt = order.CreatedAt + TimeSpan.FromMinutes(12);
            }

            yield return order;
        }
    }
}
