using System.Diagnostics;
using System.Globalization;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Another writer of the shop's database, as a till or an import job would be: inserts orders for
/// random merchants at a set rate through connections of its own, SQLite or PostgreSQL through EF like
/// any other writer (the app hears of them only through its change poller, PostgreSQL's NOTIFY, or its
/// dashboards' own polls in the baseline). Each order's customer name is a unique marker, so the
/// harness can tell which render batch carried it.
/// </summary>
public sealed class OrderWriter(string connectionString, IReadOnlyList<int> merchantIds, int seed = 1,
    DatabaseProvider provider = DatabaseProvider.Sqlite)
{
    /// <summary>
    /// PostgreSQL: orders per second one connection is asked for at most. An order is a few round trips
    /// (read the merchant, insert, bump its order number), so 500 orders/s on a loaded machine needs several
    /// in parallel. SQLite takes one writer at a time whatever the connections (the rest wait for its lock,
    /// sleeping in the busy handler, which measured slower), so it gets one.
    /// </summary>
    public const int RatePerConnection = 100;

    private int _sequence;

    /// <summary>The merchant ids of the bench users with these e-mails, in the same order.</summary>
    public static async Task<IReadOnlyList<int>> MerchantIdsAsync(string connectionString, IReadOnlyList<string> emails, CancellationToken ct,
        DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        await using var db = Open(connectionString, provider);
        var normalized = emails.Select(e => e.ToUpperInvariant()).ToList();
        var byEmail = await db.Users.AsNoTracking()
            .Where(u => normalized.Contains(u.NormalizedEmail!) && u.MerchantId != null)
            .ToDictionaryAsync(u => u.NormalizedEmail!, u => u.MerchantId!.Value, ct);
        return [.. normalized.Select(e => byEmail.TryGetValue(e, out var id) ? id
            : throw new InvalidOperationException($"No merchant user {e} in the database; run prepare-db first."))];
    }

    /// <summary>
    /// Writes at <paramref name="perSecond"/> until <paramref name="duration"/> ends, over
    /// ceil(rate / <see cref="RatePerConnection"/>) connections on PostgreSQL (one on SQLite), each with its own share of the merchants
    /// (two writers never bump the same merchant's order number) and of the rate. Each keeps to its
    /// schedule (order n is due at n / rate): a slow write is caught up, so the achieved rate is the
    /// asked one unless the writer cannot keep up. <paramref name="expect"/> hears of each order
    /// (merchant id, marker) just before its commit and returns what takes the commit's Stopwatch timestamp.
    /// Returns the orders written.
    /// </summary>
    public async Task<int> RunAsync(double perSecond, TimeSpan duration, Func<int, string, Action<long>> expect, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        var connections = provider == DatabaseProvider.Sqlite ? 1 : Math.Clamp((int)Math.Ceiling(perSecond / RatePerConnection), 1, merchantIds.Count);
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, connections).Select(i => WriteShareAsync(
            [.. merchantIds.Where((_, index) => index % connections == i)], perSecond / connections, new Random(seed + i), clock, duration, expect, ct)));
        return counts.Sum();
    }

    private async Task<int> WriteShareAsync(IReadOnlyList<int> merchants, double perSecond, Random random, Stopwatch clock, TimeSpan duration,
        Func<int, string, Action<long>> expect, CancellationToken ct)
    {
        await using var db = Open(connectionString, provider);
        // Held open for the whole window: EF would otherwise open and close it around every command (a file
        // open for SQLite without pooling, a DISCARD ALL for Npgsql's pool).
        await db.Database.OpenConnectionAsync(ct);
        var count = 0;
        while (true)
        {
            var due = TimeSpan.FromSeconds(count / perSecond);
            if (due >= duration)
            {
                return count;
            }

            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, ct);
            }

            await WriteOneAsync(db, merchants[random.Next(merchants.Count)], random, expect, ct);
            count++;
        }
    }

    private async Task WriteOneAsync(PortalDbContext db, int merchantId, Random random, Func<int, string, Action<long>> expect, CancellationToken ct)
    {
        var marker = string.Create(CultureInfo.InvariantCulture, $"Bench {Interlocked.Increment(ref _sequence):D7}{random.Next(1000):D3}");
        db.ChangeTracker.Clear();
        var merchant = await db.Merchants.SingleAsync(m => m.Id == merchantId, ct);
        var now = DateTime.UtcNow;
        db.Orders.Add(new Order
        {
            MerchantId = merchantId,
            Number = merchant.NextOrderNumber(),
            CustomerName = marker,
            Total = 10 + random.Next(9000) / 100m,
            Currency = "EUR",
            ItemCount = 1,
            Status = OrderStatus.New,
            CreatedAt = now,
            StatusChangedAt = now,
        });
        // Registered before the commit: a fast app could render the order before SaveChanges returns here.
        var committed = expect(merchantId, marker);
        await db.SaveChangesAsync(ct);
        committed(Stopwatch.GetTimestamp());
    }

    private static PortalDbContext Open(string connectionString, DatabaseProvider provider)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDataRegistration.Configure(options, new PortalDatabase(provider, connectionString, provider.ToString()));
        return new PortalDbContext(options.Options);
    }
}
