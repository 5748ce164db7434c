using System.Text.Json;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>
/// SQL Server: a change row's position is its rowversion, stamped when the row is written (not at
/// commit), and the horizon is <c>MIN_ACTIVE_ROWVERSION()</c>, the lowest rowversion of a transaction
/// still open: every row below it is final. The horizon is read first, in the same batch, so it can
/// only be older than the rows (a transaction committing between the two is then read, never
/// skipped). Rows still locked by an open writer are skipped (READPAST) rather than waited for, so
/// an open transaction holds back the bound, never the delivery of rows committed after it.
/// Not run against an engine in this suite (none runs here); the SQL is checked by ScriptDom.
/// </summary>
public sealed class SqlServerOrderChangeFeed : OrderChangeFeed
{
    public override async Task<OrderChangeWatermark> StartAsync(PortalDbContext db, CancellationToken ct)
    {
        var rows = await StartQuery(db).ToListAsync(ct);
        return ToWatermark(rows);
    }

    public override async Task<OrderChangeRead> ReadAsync(PortalDbContext db, OrderChangeWatermark watermark, int batchSize, CancellationToken ct)
    {
        var rows = await ReadQuery(db, watermark.Bound, watermark.DeliveredAboveBound, batchSize).ToListAsync(ct);
        return ToRead(rows, batchSize);
    }

    /// <summary>The start-up read, as SQL (public for the ScriptDom check).</summary>
    public static IQueryable<StartRow> StartQuery(PortalDbContext db) => db.Database.SqlQuery<StartRow>($"""
        DECLARE @horizon bigint = CAST(MIN_ACTIVE_ROWVERSION() AS bigint);
        SELECT @horizon AS [Horizon], c.[Id] AS [ChangeId], CAST(c.[Version] AS bigint) AS [Position]
        FROM (SELECT 1 AS [One]) AS h
        LEFT JOIN [OrderChanges] AS c WITH (READPAST) ON c.[Version] >= CAST(@horizon AS binary(8));
        """);

    /// <summary>One poll's read, as SQL: one round trip whether or not there are changes.</summary>
    public static IQueryable<ChangeRow> ReadQuery(PortalDbContext db, long bound, IReadOnlyCollection<long> delivered, int batchSize)
    {
        var deliveredJson = JsonSerializer.Serialize(delivered);
        return db.Database.SqlQuery<ChangeRow>($"""
            DECLARE @horizon bigint = CAST(MIN_ACTIVE_ROWVERSION() AS bigint);
            SELECT @horizon AS [Horizon], c.[Id] AS [ChangeId], CAST(c.[Version] AS bigint) AS [Position], c.[OrderId], c.[MerchantId],
                   c.[Kind], c.[Status], o.[Number], o.[CustomerName], o.[Total], o.[Currency], o.[CreatedAt]
            FROM (SELECT 1 AS [One]) AS h
            LEFT JOIN (
                SELECT TOP ({batchSize}) c0.* FROM [OrderChanges] AS c0 WITH (READPAST)
                WHERE c0.[Version] >= CAST(CAST({bound} AS bigint) AS binary(8))
                  AND c0.[Id] NOT IN (SELECT [value] FROM OPENJSON({deliveredJson}) WITH ([value] bigint '$'))
                ORDER BY c0.[Id]) AS c ON 1 = 1
            LEFT JOIN [Orders] AS o ON o.[Id] = c.[OrderId]
            ORDER BY c.[Id];
            """);
    }


}
