using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>The reads and the write of the "while you were away" panel, scoped to one merchant and one user.</summary>
public static class AwayDigestOrders
{
    /// <summary>Most orders the panel lists; the heading still gives the full count.</summary>
    public const int MaxListed = 20;

    /// <summary>
    /// The merchant's orders created in (<paramref name="fromUtc"/>, <paramref name="toUtc"/>] that
    /// the user has not dismissed yet (created after their AwayDismissedUpTo), oldest first, and how many in all.
    /// </summary>
    public static async Task<(List<Order> Orders, int Total)> ListAsync(
        this PortalDbContext db, int merchantId, string userId, DateTime fromUtc, DateTime toUtc, CancellationToken ct = default)
    {
        var dismissed = await db.Users.Where(u => u.Id == userId).Select(u => u.AwayDismissedUpTo).SingleOrDefaultAsync(ct);
        var from = dismissed is { } d && d > fromUtc ? d : fromUtc;
        var arrived = db.OfMerchant(merchantId).Where(o => o.CreatedAt > from && o.CreatedAt <= toUtc);
        var total = await arrived.CountAsync(ct);
        var orders = total == 0 ? [] : await arrived.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).Take(MaxListed).ToListAsync(ct);
        return (orders, total);
    }

    /// <summary>The panel will not list orders created up to <paramref name="upToUtc"/> again (the mark never moves back).</summary>
    public static Task<int> DismissAwayDigestAsync(this PortalDbContext db, string userId, DateTime upToUtc, CancellationToken ct = default) =>
        db.Users
            .Where(u => u.Id == userId && (u.AwayDismissedUpTo == null || u.AwayDismissedUpTo < upToUtc))
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.AwayDismissedUpTo, upToUtc), ct);
}
