using System.Globalization;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Alerts;

/// <summary>A New order nobody of its merchant acknowledged for longer than Alerts:UnattendedAfter.</summary>
public sealed record UnattendedOrder(long OrderId, string DisplayNumber, string Merchant, DateTime CreatedAt, TimeSpan Age);

/// <summary>An active merchant and whether any of its users has a live tab on a live node now.</summary>
public sealed record MerchantOnline(int MerchantId, string Merchant, bool Online, DateTime? Since);

/// <summary>What the admin's home shows about who is not answering, read in one go.</summary>
public sealed record AnsweringState(IReadOnlyList<UnattendedOrder> Unattended, int UnattendedTotal, IReadOnlyList<MerchantOnline> Presence);

/// <summary>
/// The admin's view across merchants (admin-only pages call it; it takes no merchant from anyone):
/// unattended orders, oldest first, and each active merchant's presence from the per-node rows
/// of nodes whose heartbeat is alive (written within Node:GoneAfter, not stopped), so the rows of
/// a node that died stop counting once its heartbeat times out.
/// </summary>
public sealed class AnsweringOverview(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<AlertsOptions> alerts,
    IOptions<NodeOptions> nodes,
    TimeProvider clock)
{
    /// <summary>Rows shown at most; the total says how many more there are.</summary>
    public const int MaxUnattended = 50;

    public TimeSpan UnattendedAfter => alerts.Value.UnattendedAfter;

    public async Task<AnsweringState> LoadAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var createdBefore = now - alerts.Value.UnattendedAfter;
        var aliveSince = now - nodes.Value.GoneAfter;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var unattended = db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.New && o.AcknowledgedAt == null && o.CreatedAt <= createdBefore);
        var total = await unattended.CountAsync(ct);
        var orders = await unattended
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id)
            .Take(MaxUnattended)
            .Select(o => new { o.Id, o.Number, Merchant = o.Merchant!.Name, o.CreatedAt })
            .ToListAsync(ct);

        var merchants = await db.Merchants.AsNoTracking()
            .Where(m => m.IsActive)
            .OrderBy(m => m.Name)
            .Select(m => new { m.Id, m.Name })
            .ToListAsync(ct);
        var present = await db.MerchantPresence.AsNoTracking()
            .Where(p => db.NodeHeartbeats.Any(n => n.Name == p.NodeName && n.StoppedAt == null && n.LastSeenAt >= aliveSince))
            .Select(p => new { p.MerchantId, p.Since })
            .ToListAsync(ct);
        var since = present.GroupBy(p => p.MerchantId).ToDictionary(g => g.Key, g => g.Min(p => p.Since));

        return new AnsweringState(
            orders.ConvertAll(o => new UnattendedOrder(o.Id, "#" + o.Number.ToString(CultureInfo.InvariantCulture), o.Merchant, o.CreatedAt, Clamp(now - o.CreatedAt))),
            total,
            merchants.ConvertAll(m => new MerchantOnline(m.Id, m.Name, since.ContainsKey(m.Id), since.TryGetValue(m.Id, out var s) ? s : null)));
    }

    /// <summary>"45 s", "7 min", "2 h 05 min": how long a merchant has left an order waiting.</summary>
    public static string FormatAge(TimeSpan age) => age switch
    {
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalSeconds} s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h {age.Minutes:00} min"),
    };

    // Another node's clock may run ahead of this one's.
    private static TimeSpan Clamp(TimeSpan age) => age < TimeSpan.Zero ? TimeSpan.Zero : age;
}
