using System.Collections.Concurrent;
using System.Diagnostics;
using MerchantPortal.Bench.Probe;
using MerchantPortal.Bench.Sweep;
using MerchantPortal.Bench.Tests.Sweep;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Bench.Tests.Probe;

/// <summary>The order writer against a SQLite file the real app migrated, with prepare-db's bench merchants in it.</summary>
public sealed class OrderWriterTests(MigratedPortalDatabase template) : IClassFixture<MigratedPortalDatabase>
{
    [Fact]
    public async Task MerchantIdsFollowTheEmailsInTheirOrderWhateverTheCase()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = await BenchFileAsync(3, ct);

        var ids = await OrderWriter.MerchantIdsAsync(MigratedPortalDatabase.ConnectionString(path),
            [BenchAccounts.Email(3), BenchAccounts.Email(1).ToUpperInvariant()], ct);

        await using var db = MigratedPortalDatabase.OpenContext(path);
        var byName = await db.Merchants.ToDictionaryAsync(m => m.Name, m => m.Id, ct);
        Assert.Equal([byName[BenchAccounts.ShopName(3)], byName[BenchAccounts.ShopName(1)]], ids);
    }

    [Fact]
    public async Task AnUnknownEmailSaysToRunPrepareDb()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = await BenchFileAsync(1, ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            OrderWriter.MerchantIdsAsync(MigratedPortalDatabase.ConnectionString(path), [BenchAccounts.Email(1), "nobody@bench.local"], ct));

        Assert.Contains("NOBODY@BENCH.LOCAL", error.Message, StringComparison.Ordinal);
        Assert.Contains("prepare-db", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWriterThatCannotKeepUpStopsAtTheEndOfItsWindow()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = await BenchFileAsync(3, ct);
        var connection = MigratedPortalDatabase.ConnectionString(path);
        var ids = await OrderWriter.MerchantIdsAsync(connection, BenchAccounts.Emails(3), ct);
        var clock = Stopwatch.StartNew();

        // A million a second is beyond any SQLite file: the window, not the schedule, ends the run.
        var written = await new OrderWriter(connection, ids).RunAsync(1_000_000, TimeSpan.FromMilliseconds(500), (_, _) => _ => { }, ct);

        Assert.InRange(written, 1, 499_999);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"wrote {written} in {clock.Elapsed}");
    }

    [Fact]
    public async Task EveryOrderIsAnnouncedBeforeItsCommitAndStampedAfterIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = await BenchFileAsync(3, ct);
        var connection = MigratedPortalDatabase.ConnectionString(path);
        var ids = await OrderWriter.MerchantIdsAsync(connection, BenchAccounts.Emails(3), ct);
        var announced = new ConcurrentQueue<(int MerchantId, string Marker, long Announced, bool VisibleThen)>();
        var committed = new ConcurrentDictionary<string, (long At, bool VisibleThen)>();

        var written = await new OrderWriter(connection, ids).RunAsync(20, TimeSpan.FromSeconds(1), (merchantId, marker) =>
        {
            announced.Enqueue((merchantId, marker, Stopwatch.GetTimestamp(), IsStored(connection, marker)));
            return at => committed[marker] = (at, IsStored(connection, marker));
        }, ct);

        Assert.InRange(written, 1, 21); // 20 a second for one second at most (fewer only on a machine too slow to keep up)
        Assert.Equal(written, announced.Count);
        Assert.Equal(written, committed.Count);
        Assert.Equal(written, announced.Select(a => a.Marker).Distinct().Count());
        Assert.All(announced, a =>
        {
            Assert.Contains(a.MerchantId, ids);
            Assert.StartsWith("Bench ", a.Marker, StringComparison.Ordinal);
            Assert.False(a.VisibleThen, $"{a.Marker} was already stored when announced");
            Assert.True(committed[a.Marker].VisibleThen, $"{a.Marker} was not stored when its commit was reported");
            Assert.True(committed[a.Marker].At >= a.Announced);
        });

        // Each merchant's orders are numbered on from its last number, as the app numbers them.
        await using var db = MigratedPortalDatabase.OpenContext(path);
        var orders = await db.Orders.Where(o => o.CustomerName.StartsWith("Bench ")).ToListAsync(ct);
        Assert.Equal(announced.Select(a => a.Marker).Order(), orders.Select(o => o.CustomerName).Order());
        foreach (var merchant in await db.Merchants.Where(m => ids.Contains(m.Id)).ToListAsync(ct))
        {
            var numbers = orders.Where(o => o.MerchantId == merchant.Id).Select(o => o.Number).Order().ToList();
            Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
            Assert.Equal(numbers.Count, merchant.LastOrderNumber);
        }
    }

    /// <summary>A copy of the migrated file with bench merchants 1..<paramref name="merchants"/>.</summary>
    private async Task<string> BenchFileAsync(int merchants, CancellationToken ct)
    {
        var path = template.Copy();
        await BenchDatabase.PrepareAsync(path, merchants, BenchAccounts.DefaultPassword, ct);
        return path;
    }

    /// <summary>Read through a connection of its own, as the app would see it.</summary>
    private static bool IsStored(string connectionString, string marker)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Orders WHERE CustomerName = $marker";
        command.Parameters.AddWithValue("$marker", marker);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
