using System.Diagnostics;
using System.Globalization;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Another writer of the shop's database, as a till or an import job would be: inserts orders for
/// random merchants at a set rate through its own connection (the app hears of them only through its
/// change poller, or its dashboards' own polls in the baseline). Each order's customer name is a unique
/// marker, so the harness can tell which render batch carried it.
/// </summary>
public sealed class OrderWriter(string connectionString, IReadOnlyList<int> merchantIds, int seed = 1)
{
    private readonly Random _random = new(seed);
    private int _sequence;

    /// <summary>The merchant ids of the bench users with these e-mails, in the same order.</summary>
    public static async Task<IReadOnlyList<int>> MerchantIdsAsync(string connectionString, IReadOnlyList<string> emails, CancellationToken ct)
    {
        await using var db = Open(connectionString);
        var normalized = emails.Select(e => e.ToUpperInvariant()).ToList();
        var byEmail = await db.Users.AsNoTracking()
            .Where(u => normalized.Contains(u.NormalizedEmail!) && u.MerchantId != null)
            .ToDictionaryAsync(u => u.NormalizedEmail!, u => u.MerchantId!.Value, ct);
        return [.. normalized.Select(e => byEmail.TryGetValue(e, out var id) ? id
            : throw new InvalidOperationException($"No merchant user {e} in the database; run prepare-db first."))];
    }

    /// <summary>
    /// Writes at <paramref name="perSecond"/> until <paramref name="duration"/> ends. <paramref name="expect"/>
    /// hears of each order (merchant id, marker) just before its commit and returns what takes the commit's
    /// Stopwatch timestamp.
    /// </summary>
    public async Task<int> RunAsync(double perSecond, TimeSpan duration, Func<int, string, Action<long>> expect, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(expect);
        var count = 0;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / perSecond));
        await using var db = Open(connectionString);
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync(ct))
        {
            await WriteOneAsync(db, expect, ct);
            count++;
        }

        return count;
    }

    private async Task WriteOneAsync(PortalDbContext db, Func<int, string, Action<long>> expect, CancellationToken ct)
    {
        var merchantId = merchantIds[_random.Next(merchantIds.Count)];
        var marker = string.Create(CultureInfo.InvariantCulture, $"Bench {++_sequence:D7}{_random.Next(1000):D3}");
        db.ChangeTracker.Clear();
        var merchant = await db.Merchants.SingleAsync(m => m.Id == merchantId, ct);
        var now = DateTime.UtcNow;
        db.Orders.Add(new Order
        {
            MerchantId = merchantId,
            Number = merchant.NextOrderNumber(),
            CustomerName = marker,
            Total = 10 + _random.Next(9000) / 100m,
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

    private static PortalDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(connectionString).Options);
}
