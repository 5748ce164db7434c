using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Data.Orders;

/// <summary>
/// The only entry points for reading orders on behalf of a merchant. The merchant id comes
/// from the signed-in user's claims on the server, never from the browser.
/// </summary>
public static class OrderQueries
{
    public static IQueryable<Order> OfMerchant(this PortalDbContext db, int merchantId) =>
        db.Orders.AsNoTracking().Where(o => o.MerchantId == merchantId);

    public static Task<int> CountNewAsync(this PortalDbContext db, int merchantId, CancellationToken ct = default) =>
        db.OfMerchant(merchantId).CountAsync(o => o.Status == OrderStatus.New, ct);

    public static Task<Order?> FindForMerchantAsync(this PortalDbContext db, int merchantId, long orderId, CancellationToken ct = default) =>
        db.OfMerchant(merchantId).FirstOrDefaultAsync(o => o.Id == orderId, ct);
}
