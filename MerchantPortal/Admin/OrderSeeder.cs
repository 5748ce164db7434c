using System.Data.Common;
using System.Globalization;
using MerchantPortal.Data;
using MerchantPortal.Data.Merchants;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
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
            var (first, last) = await InsertAsync(merchant.Id, request.Count, generator, actor, "Seeded orders", ct);
            progress?.Report(request.Count);
            return new SeedResult(merchant.Name, request.Count, first, last, Cancelled: false);
        }

        return await TrickleAsync(merchant, request, generator, actor, progress, ct);
    }

    public async Task<Order> CreateOrderAsync(string merchantIdOrName, string customerName, decimal total, AdminActor actor, CancellationToken ct = default)
    {
        var customer = customerName.Trim();
        if (customer.Length == 0)
        {
            throw new AdminInputException("Customer name is required.");
        }

        if (customer.Length > Order.CustomerNameMaxLength)
        {
            throw new AdminInputException($"Customer name can be at most {Order.CustomerNameMaxLength} characters.");
        }

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
        await InsertAsync(merchant.Id, 1, new OrderGenerator(), actor, "Created order", ct, order =>
        {
            order.CustomerName = customer;
            order.Total = total;
            order.ItemCount = 1;
            created = order;
        });
        return created!;
    }

    /// <summary>Finds the merchant by id or name; unknown and inactive merchants are refused.</summary>
    public async Task<Merchant> ResolveActiveMerchantAsync(string merchantIdOrName, CancellationToken ct = default)
    {
        var key = merchantIdOrName.Trim();
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
        int first = 0, last = 0, created = 0;
        try
        {
            for (var i = 0; i < request.Count; i++)
            {
                if (i > 0)
                {
                    await Task.Delay(interval, clock, ct);
                }

                // Each order is its own transaction here: a trickle is meant to arrive one by one.
                (var number, last) = await InsertAsync(merchant.Id, 1, generator, actor: null, action: null, ct);
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
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        db.LogActivity(actor, "Seeded orders", $"{result} (spread over {request.Spread.TotalSeconds:0} s)", clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(CancellationToken.None);
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
    private static bool IsNumberConflict(DbUpdateException e) =>
        e is DbUpdateConcurrencyException || e.InnerException is DbException { SqlState: "23505" }
            or SqliteException { SqliteExtendedErrorCode: 2067 } or SqlException { Number: 2601 or 2627 };

    /// <summary>
    /// Inserts <paramref name="count"/> orders in one transaction, numbered from the merchant's
    /// counter (a concurrency token: a concurrent writer makes this retry, never share numbers).
    /// </summary>
    private async Task<(int First, int Last)> InsertAsync(
        int merchantId, int count, OrderGenerator generator, AdminActor? actor, string? action, CancellationToken ct, Action<Order>? shape = null)
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
            if (actor is not null && action is not null)
            {
                var details = count == 1
                    ? string.Create(CultureInfo.InvariantCulture, $"{merchant.Name}: order #{orders[0].Number} for {orders[0].CustomerName}, {orders[0].Total:0.00} {orders[0].Currency}")
                    : $"{merchant.Name}: {count} orders, #{orders[0].Number}–#{orders[^1].Number}";
                db.LogActivity(actor, action, details, now);
            }

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
