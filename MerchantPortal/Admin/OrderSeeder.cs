using System.Globalization;
using MerchantPortal.Data;
using MerchantPortal.Data.Activity;
using MerchantPortal.Data.Merchants;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Admin;

/// <param name="Merchant">A merchant's id or exact name (case-insensitive).</param>
/// <param name="Spread">Zero: one all-or-nothing batch. Otherwise the orders trickle in, one per transaction, evenly over this time.</param>
public sealed record SeedRequest(string Merchant, int Count, TimeSpan Spread = default);

public sealed record SeedResult(string MerchantName, int Created, int FirstNumber, int LastNumber, bool Cancelled)
{
    public override string ToString() => Created == 0
        ? $"No orders created for {MerchantName}{(Cancelled ? " (cancelled)" : "")}."
        : $"Created {Created} order{(Created == 1 ? "" : "s")} for {MerchantName}: #{FirstNumber}–#{LastNumber}{(Cancelled ? " (cancelled before the rest)" : "")}.";
}

/// <summary>
/// Creates orders for the admin pages and the command line with the same rules. Bad input is an
/// <see cref="AdminInputException"/> with nothing written.
/// </summary>
public sealed class OrderSeeder(IDbContextFactory<PortalDbContext> dbFactory, OrderChangePoller poller, TimeProvider clock)
{
    public const int MaxCount = 1000;
    public const decimal MaxTotal = 100_000m;
    public static readonly TimeSpan MaxSpread = TimeSpan.FromHours(1);
    // Enough for a handful of simultaneous writers to one merchant: each conflict means another won.
    private const int ConflictRetries = 8;

    public async Task<SeedResult> SeedAsync(SeedRequest request, AdminActor actor, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        if (request.Count is < 1 or > MaxCount)
        {
            throw new AdminInputException($"Count must be from 1 to {MaxCount}; got {request.Count}.");
        }

        if (request.Spread < TimeSpan.Zero || request.Spread > MaxSpread)
        {
            throw new AdminInputException($"Spread must be from 0 to {MaxSpread.TotalSeconds:0} seconds.");
        }

        var merchant = await ResolveActiveMerchantAsync(request.Merchant, ct);
        var generator = new OrderGenerator();
        if (request.Spread == TimeSpan.Zero)
        {
            var (first, last) = await InsertAsync(merchant.Id, request.Count, generator,
                (db, orders, now) => db.LogActivity(actor, "Seeded orders", $"{merchant.Name}: {orders.Count} orders, #{orders[0].Number}–#{orders[^1].Number}", now), shape: null, ct);
            progress?.Report(request.Count);
            return new SeedResult(merchant.Name, request.Count, first, last, Cancelled: false);
        }

        return await TrickleAsync(merchant, request, generator, actor, progress, ct);
    }

    public async Task<Order> CreateOrderAsync(string merchantIdOrName, string customerName, decimal total, AdminActor actor, CancellationToken ct = default)
    {
        var customer = AdminText.Clean(customerName, "Customer name", Order.CustomerNameMaxLength);

        if (total <= 0 || total > MaxTotal)
        {
            throw new AdminInputException(string.Create(CultureInfo.InvariantCulture, $"Total must be more than 0 and at most {MaxTotal:0}."));
        }

        if (decimal.Round(total, 2) != total)
        {
            throw new AdminInputException("Total can have at most two decimal places.");
        }

        var merchant = await ResolveActiveMerchantAsync(merchantIdOrName, ct);
        Order? created = null;
        await InsertAsync(merchant.Id, 1, new OrderGenerator(), (db, orders, now) => db.LogActivity(actor, "Created order",
            string.Create(CultureInfo.InvariantCulture, $"{merchant.Name}: order #{orders[0].Number} for {orders[0].CustomerName}, {orders[0].Total:0.00} {orders[0].Currency}"), now), order =>
        {
            order.CustomerName = customer;
            order.Total = total;
            order.ItemCount = 1;
            created = order;
        }, ct);
        return created!;
    }

    /// <summary>Finds the merchant by id or name; unknown and inactive merchants are refused.</summary>
    public async Task<Merchant> ResolveActiveMerchantAsync(string merchantIdOrName, CancellationToken ct = default)
    {
        var key = merchantIdOrName.Trim();
        if (AdminText.HasControlCharacters(key))
        {
            throw new AdminInputException($"Unknown merchant '{key}'.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var merchant = int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await db.Merchants.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct)
            : null;
        merchant ??= await db.Merchants.AsNoTracking().SingleOrDefaultAsync(MerchantNames.Matches(key), ct);
        if (merchant is null)
        {
            throw new AdminInputException($"Unknown merchant '{key}'.");
        }

        return merchant.IsActive ? merchant : throw new AdminInputException($"Merchant '{merchant.Name}' is inactive; reactivate it first.");
    }

    private async Task<SeedResult> TrickleAsync(Merchant merchant, SeedRequest request, OrderGenerator generator, AdminActor actor, IProgress<int>? progress, CancellationToken ct)
    {
        var interval = request.Spread / request.Count;
        var spread = string.Create(CultureInfo.InvariantCulture, $"(spread over {request.Spread.TotalSeconds:0} s)");
        int first = 0, last = 0, created = 0;
        // One activity entry per trickle, written with the first order and rewritten in each later
        // order's own transaction: whenever the process dies (a kill, a crash, a lost database),
        // the entry's range is exactly the orders that were committed.
        ActivityEntry? entry = null;
        try
        {
            for (var i = 0; i < request.Count; i++)
            {
                if (i > 0)
                {
                    await Task.Delay(interval, clock, ct);
                }

                // Each order is its own transaction here: a trickle is meant to arrive one by one.
                ActivityEntry? written = null; // this attempt's; a retried attempt writes its own
                (var number, last) = await InsertAsync(merchant.Id, 1, generator, (db, orders, now) =>
                {
                    var from = created == 0 ? orders[0].Number : first;
                    var details = $"{merchant.Name}: {created + 1} of {request.Count} orders so far, #{from}–#{orders[^1].Number} {spread}";
                    written = entry is null ? db.LogActivity(actor, "Seeded orders", details, now) : db.RewriteActivity(entry, details);
                }, shape: null, ct);
                entry = written;
                first = created == 0 ? number : first;
                created++;
                progress?.Report(created);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cancelled by the admin: keep what was created and say so.
        }

        var result = new SeedResult(merchant.Name, created, first, last, Cancelled: created < request.Count);
        await using var final = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        _ = entry is null
            ? final.LogActivity(actor, "Seeded orders", $"{result} {spread}", clock.GetUtcNow().UtcDateTime)
            : final.RewriteActivity(entry, $"{result} {spread}");
        await final.SaveChangesAsync(CancellationToken.None);
        return result;
    }

    /// <summary>
    /// Another writer took these numbers first. SQLite serialises writers, so the merchant's
    /// counter (a concurrency token) reports it. On PostgreSQL EF inserts the orders before it
    /// updates the counter: the insert waits for the other writer's uncommitted rows with the
    /// same numbers and then fails on the unique (MerchantId, Number) index (SQLSTATE 23505).
    /// A writer that bypasses the counter (plain SQL, an import) makes the index refuse the next
    /// numbers on any provider (SQLite's extended code 2067, SQL Server's 2601/2627). All mean the
    /// same thing: read the counter again, catch it up with the highest number taken, and retry.
    /// </summary>
    private static bool IsNumberConflict(DbUpdateException e) => DatabaseWriteErrors.IsLostRace(e);

    /// <summary>
    /// Inserts <paramref name="count"/> orders in one transaction, numbered from the merchant's
    /// counter (a concurrency token: a concurrent writer makes this retry, never share numbers).
    /// </summary>
    /// <param name="log">Adds the activity entry that describes these orders, so it commits (or not) with them.</param>
    private async Task<(int First, int Last)> InsertAsync(
        int merchantId, int count, OrderGenerator generator, Action<PortalDbContext, List<Order>, DateTime> log, Action<Order>? shape, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var merchant = await db.Merchants.SingleAsync(m => m.Id == merchantId, ct);
            if (attempt > 1)
            {
                // Numbers taken without the counter stay taken: start above the highest one.
                var highest = await db.Orders.Where(o => o.MerchantId == merchantId).MaxAsync(o => (int?)o.Number, ct) ?? 0;
                merchant.LastOrderNumber = Math.Max(merchant.LastOrderNumber, highest);
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var orders = Enumerable.Range(0, count).Select(_ => generator.Next(merchant, now)).ToList();
            orders.ForEach(o => shape?.Invoke(o));
            db.Orders.AddRange(orders);
            log(db, orders, now);

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (IsNumberConflict(e))
            {
                if (attempt < ConflictRetries)
                {
                    continue;
                }

                throw new OrderNumberConflictException(
                    $"Other writers took the same order numbers {ConflictRetries} times in a row; no order was created. Try again.", e);
            }

            // Open dashboards in this process hear of it at once; the poller publishes it.
            poller.Wake();
            return (orders[0].Number, orders[^1].Number);
        }
    }
}

/// <summary>The seeder gave up numbering orders because other writers kept taking the same numbers; nothing was written.</summary>
public sealed class OrderNumberConflictException(string message, Exception inner) : Exception(message, inner);
