using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>
/// One circuit's live view of its merchant's orders: a single notifier subscription shared by
/// the badge, title, toasts and pages of that circuit, and the New-order count, read from the
/// database on start and on reconnect (counts are state, not a sum of events).
/// </summary>
public sealed class MerchantLiveOrders(
    OrderNotifier notifier, IDbContextFactory<PortalDbContext> dbFactory, AuthenticationStateProvider authentication) : IDisposable
{
    private readonly Lock _gate = new();
    private Task<bool>? _start;
    private IDisposable? _subscription;
    private long _version = -1;

    public int MerchantId { get; private set; }

    public int NewOrderCount { get; private set; }

    /// <summary>
    /// Raised on a thread-pool thread after the count changed or orders arrived; handlers in
    /// components must switch to the renderer with InvokeAsync.
    /// </summary>
    public event Action<OrderNotification>? Changed;

    internal int HandlerCount => Changed?.GetInvocationList().Length ?? 0;

    /// <summary>Idempotent. False when the signed-in user is not a merchant.</summary>
    public Task<bool> StartAsync() => _start ??= StartCoreAsync();

    /// <summary>Re-reads the count from the database and tells the components.</summary>
    public async Task RefreshAsync()
    {
        var version = notifier.LatestVersion;
        await using var db = await dbFactory.CreateDbContextAsync();
        var count = await db.CountNewAsync(MerchantId);
        if (Apply(version, count))
        {
            Changed?.Invoke(new OrderNotification(MerchantId, version, count, []));
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private async Task<bool> StartCoreAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.GetMerchantId() is not { } merchantId)
        {
            return false;
        }

        MerchantId = merchantId;
        // Subscribe before reading, so a change committed in between is not missed.
        _subscription = notifier.Subscribe(merchantId, OnNotification);
        await RefreshAsync();
        return true;
    }

    private void OnNotification(OrderNotification notification)
    {
        Apply(notification.Version, notification.NewOrderCount);
        Changed?.Invoke(notification);
    }

    /// <summary>Keeps the newest count: notifications may arrive out of order.</summary>
    private bool Apply(long version, int count)
    {
        lock (_gate)
        {
            if (version < _version)
            {
                return false;
            }

            _version = version;
            NewOrderCount = count;
            return true;
        }
    }
}
