using Bunit;
using MerchantPortal.Admin;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantPortal.Tests.Components;

/// <summary>
/// What the orders pages' component tests share: shops of their own (so counts are a test's
/// own), and a signed-in bUnit context whose real poller runs, so every change reaches the
/// pages the way it does in the app: written to the database, picked up by the poller,
/// published by the notifier.
/// </summary>
internal static class OrderPages
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public const string Password = "Orders!Pass1";

    public const string Zone = "Europe/Berlin";

    private static readonly AdminActor Actor = new("orders-tests", null);

    /// <summary>A new merchant with a user and these orders, oldest first (one minute apart).</summary>
    public static async Task<Shop> NewShopAsync(TestDatabase database, params (string Customer, OrderStatus Status)[] orders)
    {
        var name = $"Shop {Guid.NewGuid():N}"[..20];
        var email = $"{name.Replace(' ', '-').ToLowerInvariant()}@test.local";
        var merchant = await database.Services.GetRequiredService<MerchantAdmin>().CreateAsync(name, Actor);
        await database.Services.GetRequiredService<UserAdmin>().CreateMerchantUserAsync(email, Password, name, Actor);
        var written = await AddOrdersAsync(database, merchant.Id, DateTime.UtcNow.AddHours(-1), orders);
        return new Shop(merchant.Id, name, email, written);
    }

    /// <summary>Writes orders as any other writer would: its own context, its own transaction.</summary>
    public static async Task<List<Order>> AddOrdersAsync(TestDatabase database, int merchantId, DateTime firstCreatedAt, params (string Customer, OrderStatus Status)[] orders)
    {
        await using var db = database.CreateDbContext();
        var merchant = await db.Merchants.SingleAsync(m => m.Id == merchantId);
        var generator = new OrderGenerator();
        var written = orders.Select((o, i) =>
        {
            var order = generator.Next(merchant, firstCreatedAt.AddMinutes(i), o.Status);
            order.CustomerName = o.Customer;
            return order;
        }).ToList();
        db.Orders.AddRange(written);
        await db.SaveChangesAsync();
        return written;
    }

    /// <summary>
    /// A context signed in as <paramref name="email"/>, the browser's zone planned, a snackbar
    /// provider rendered (as MainLayout does; no popover provider: the orders pages need none),
    /// and the real poller running from the database's current change.
    /// </summary>
    public static async Task<PortalComponentContext> OpenAsync(TestDatabase database, string email, bool poll = true)
    {
        var ctx = await PortalComponentContext.CreateAsync(database, email);
        ctx.JSInterop.Setup<string?>("merchantPortal.timeZone").SetResult(Zone);
        ctx.Render<MudSnackbarProvider>();
        if (poll)
        {
            var poller = ctx.Services.GetRequiredService<OrderChangePoller>();
            await poller.StartAsync(Xunit.TestContext.Current.CancellationToken);
            // The first poll takes the starting point; changes after it are news.
            await Until(() => poller.Watermark is not null);
        }

        return ctx;
    }

    public static async Task Until(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    public static async Task<Order> ReadAsync(TestDatabase database, long orderId)
    {
        await using var db = database.CreateDbContext();
        return await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId);
    }

    public sealed record Shop(int MerchantId, string Name, string Email, List<Order> Orders);
}
