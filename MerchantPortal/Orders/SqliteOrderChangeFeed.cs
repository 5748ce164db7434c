using MerchantPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>
/// SQLite serialises writers: a change id is assigned inside the one write transaction there can be,
/// so every id a reader sees is final and no lower one can appear later. The id is the position and
/// the highest id read (plus one) is the exact horizon; one primary-key range query per poll.
/// </summary>
public sealed class SqliteOrderChangeFeed : OrderChangeFeed
{
    public override async Task<OrderChangeWatermark> StartAsync(PortalDbContext db, CancellationToken ct) =>
        new((await db.OrderChanges.MaxAsync(c => (long?)c.Id, ct) ?? 0) + 1);

    public override async Task<OrderChangeRead> ReadAsync(PortalDbContext db, OrderChangeWatermark watermark, int batchSize, CancellationToken ct)
    {
        var bound = watermark.Bound;
        var changes = await Project(db.OrderChanges.AsNoTracking().Where(c => c.Id >= bound).OrderBy(c => c.Id).Take(batchSize))
            .ToListAsync(ct);
        // A cut read is exact too: ids come in order and nothing below the last one can still appear.
        var horizon = changes.Count > 0 ? changes[^1].ChangeId + 1 : bound;
        return new OrderChangeRead([.. changes.Select(c => (c, c.ChangeId))], horizon, Complete: true);
    }
}
