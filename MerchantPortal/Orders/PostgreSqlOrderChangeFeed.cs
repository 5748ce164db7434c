using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>
/// PostgreSQL: a change row's position is its writer's transaction id (the column's default,
/// <c>pg_current_xact_id()</c>, evaluated in the writer's own transaction), and the horizon is the
/// oldest transaction still running, <c>pg_snapshot_xmin(pg_current_snapshot())</c>. Read in the
/// same statement as the rows, the horizon belongs to the rows' own snapshot: every transaction
/// below it had finished, so its rows (if it committed) are in this read or an earlier one.
/// Ids are assigned at insert but visible at commit, so change 7 may commit after change 8; it
/// is simply read and delivered by the first poll after its commit.
/// </summary>
public sealed class PostgreSqlOrderChangeFeed : OrderChangeFeed
{
    public override async Task<OrderChangeWatermark> StartAsync(PortalDbContext db, CancellationToken ct)
    {
        // Rows of transactions still open at start may commit later and will be announced; rows
        // already committed above the horizon are not: they are marked delivered here.
        var rows = await db.Database.SqlQuery<StartRow>($"""
            SELECT h."Horizon", c."Id" AS "ChangeId", c."TransactionId" AS "Position"
            FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS "Horizon") AS h
            LEFT JOIN "OrderChanges" AS c ON c."TransactionId" >= h."Horizon"
            """).ToListAsync(ct);
        return ToWatermark(rows);
    }

    public override async Task<OrderChangeRead> ReadAsync(PortalDbContext db, OrderChangeWatermark watermark, int batchSize, CancellationToken ct)
    {
        var bound = watermark.Bound;
        var delivered = watermark.DeliveredAboveBound.ToArray();
        // One statement, so idle polls stay one query: the horizon row always comes back, joined
        // to the undelivered changes at or above the bound when there are any.
        var rows = await db.Database.SqlQuery<ChangeRow>($"""
            SELECT h."Horizon", c."Id" AS "ChangeId", c."TransactionId" AS "Position", c."OrderId", c."MerchantId",
                   c."Kind", c."Status", o."Number", o."CustomerName", o."Total", o."Currency", o."CreatedAt"
            FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS "Horizon") AS h
            LEFT JOIN LATERAL (
                SELECT * FROM "OrderChanges"
                WHERE "TransactionId" >= {bound} AND NOT ("Id" = ANY({delivered}))
                ORDER BY "Id"
                LIMIT {batchSize}) AS c ON TRUE
            LEFT JOIN "Orders" AS o ON o."Id" = c."OrderId"
            ORDER BY c."Id"
            """).ToListAsync(ct);
        return ToRead(rows, batchSize);
    }


}
