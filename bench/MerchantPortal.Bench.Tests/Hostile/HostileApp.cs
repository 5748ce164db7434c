using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Tests.Infrastructure;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Bench.Tests.Hostile;

/// <summary>
/// One real app process shared by the hostile tests (they run one after another: each reads the
/// app's log), with what they read and write in its SQLite file directly, as another writer would.
/// </summary>
public sealed partial class HostileApp : IAsyncLifetime
{
    public const string Attacker = "merchant1@demo.local";
    public const string Bystander = "merchant2@demo.local";
    public const string Password = "Demo!2345";

    /// <summary>The app polls every 500 ms; 3 s leaves room for this busy 2-core machine (as the circuit client tests).</summary>
    public static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(3);

    private int _markers;

    public PortalProcess App { get; } = new();

    public HttpClient Http { get; } = CookieHttp.CreateSharedClient();

    public ValueTask InitializeAsync() => App.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Http.Dispose();
    }

    public Task<MerchantSession> SignInAsync(string email, CancellationToken ct) =>
        MerchantSession.SignInAsync(Http, App.BaseAddress, email, Password, ct);

    /// <summary>Log lines of the app naming this refusal of this user (RefusedRequests' format).</summary>
    public int RefusalLines(string kind, string user) =>
        Regex.Count(App.Output, Regex.Escape($"Refused {kind} from user {user}:"));

    public async Task<int> RepeatSecondsAsync(string email)
    {
        await using var db = Open();
        return await db.Users.Where(u => u.Email == email).Select(u => u.AlertRepeatSeconds).SingleAsync();
    }

    /// <summary>A New order of the merchant of <paramref name="email"/>: its id and customer name.</summary>
    public async Task<(long Id, string Customer)> NewOrderOfAsync(string email)
    {
        await using var db = Open();
        var merchantId = await db.Users.Where(u => u.Email == email).Select(u => u.MerchantId).SingleAsync();
        var order = await db.Orders.Where(o => o.MerchantId == merchantId && o.Status == OrderStatus.New)
            .OrderByDescending(o => o.Id).Select(o => new { o.Id, o.CustomerName }).FirstAsync();
        return (order.Id, order.CustomerName);
    }

    public async Task<(OrderStatus Status, DateTime? AcknowledgedAt)> OrderStateAsync(long id)
    {
        await using var db = Open();
        var order = await db.Orders.Where(o => o.Id == id).Select(o => new { o.Status, o.AcknowledgedAt }).SingleAsync();
        return (order.Status, order.AcknowledgedAt);
    }

    /// <summary>
    /// Writes a New order for the merchant of <paramref name="email"/> whose customer name is a unique
    /// marker; returns the marker and the Stopwatch timestamp of the commit.
    /// </summary>
    public async Task<(string Marker, long CommittedAt)> WriteOrderAsync(string email)
    {
        var marker = string.Create(CultureInfo.InvariantCulture, $"Hostile {Interlocked.Increment(ref _markers):D5}{Environment.TickCount64 % 1000:D3}");
        await using var db = Open();
        var merchantId = await db.Users.Where(u => u.Email == email).Select(u => u.MerchantId!.Value).SingleAsync();
        var merchant = await db.Merchants.SingleAsync(m => m.Id == merchantId);
        var now = DateTime.UtcNow;
        db.Orders.Add(new Order
        {
            MerchantId = merchantId, Number = merchant.NextOrderNumber(), CustomerName = marker, Total = 12.5m, Currency = "EUR",
            ItemCount = 1, Status = OrderStatus.New, CreatedAt = now, StatusChangedAt = now,
        });
        await db.SaveChangesAsync();
        return (marker, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Writes an order for <paramref name="email"/> and waits until <paramref name="dashboard"/>'s render
    /// batches show it; the time from commit to that batch, or null past the deadline.
    /// </summary>
    public async Task<TimeSpan?> OrderToBatchAsync(string email, HostileCircuit dashboard)
    {
        var (marker, committed) = await WriteOrderAsync(email);
        if (!await Eventually.TrueWithinAsync(DeliveryDeadline, () => dashboard.Recorder.FirstBatchContaining(marker) is not null))
        {
            return null;
        }

        return Stopwatch.GetElapsedTime(committed, dashboard.Recorder.FirstBatchContaining(marker)!.Value.ReceivedTimestamp);
    }

    private PortalDbContext Open() => new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(App.ConnectionString).Options);
}

[CollectionDefinition(Name)]
public sealed class HostileGroup : ICollectionFixture<HostileApp>
{
    public const string Name = "hostile";
}
