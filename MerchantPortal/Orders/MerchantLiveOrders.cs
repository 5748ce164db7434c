using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Orders;

/// <summary>
/// One circuit's live view of its merchant's orders: a single notifier subscription shared by
/// the badge, title, toasts and pages of that circuit, and the New-order count, read from the
/// database on start and on reconnect (counts are state, not a sum of events).
/// Under <see cref="OrderDelivery.DashboardPolling"/> (benchmark baseline) the subscription is
/// replaced by this circuit's own polling timer; the components cannot tell the difference.
/// </summary>
public sealed class MerchantLiveOrders(
    OrderNotifier notifier,
    IDbContextFactory<PortalDbContext> dbFactory,
    AuthenticationStateProvider authentication,
    IOptions<OrderNotificationOptions> options,
    TimeProvider clock,
    ILogger<MerchantLiveOrders> logger) : IDisposable
{
    /// <summary>
    /// How old a handed-over state may be and still be shown. Prerendering to circuit start
    /// takes a second or two; an older one comes from a circuit resumed after a long
    /// disconnection (.NET 10 persists the same state when it evicts a disconnected circuit).
    /// </summary>
    internal static readonly TimeSpan HandOverMaxAge = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task<bool>? _start;
    private IDisposable? _subscription;
    private long _version = -1;
    private long _pollVersion;
    private long _lastSeenOrderId;
    private LiveOrdersHandOver? _handedOver;
    private Action<Action>? _deliver;

    public int MerchantId { get; private set; }

    public int NewOrderCount { get; private set; }

    /// <summary>The merchant's unacknowledged orders (product delivery only; the polling baseline keeps it off).</summary>
    public OrderAlarm Alarm { get; private set; } = OrderAlarm.Off;

    /// <summary>
    /// Raised on a thread-pool thread after the count changed or orders arrived; handlers in
    /// components must switch to the renderer with InvokeAsync.
    /// </summary>
    public event Action<OrderNotification>? Changed;

    /// <summary>
    /// What this view showed, handed from the prerendered page to the circuit that takes it over
    /// (Blazor's declarative persistent state; registered in AddPortalUi). Without it the first
    /// interactive render, which comes before the circuit's first read returns, would show the
    /// empty state (badge 0, title without count, no alarm bar) over the prerendered count: a
    /// flicker on every new tab. Staleness is bounded twice: a state older than
    /// <see cref="HandOverMaxAge"/> or of another merchant is ignored (0 until the read, as
    /// without it), and the read that follows at once replaces it (any real version wins).
    /// </summary>
    [PersistentState]
    public LiveOrdersHandOver? HandOver
    {
        get => _start is { IsCompletedSuccessfully: true, Result: true }
            ? new LiveOrdersHandOver(MerchantId, NewOrderCount, Alarm, clock.GetUtcNow())
            : null;
        set => _handedOver = value;
    }

    internal int HandlerCount => Changed?.GetInvocationList().Length ?? 0;

    /// <summary>
    /// Routes every <see cref="Changed"/> through <paramref name="deliver"/>, which runs it
    /// inside one render of the circuit (LiveOrdersBatch): the components it re-renders then
    /// reach the browser in one render batch instead of one each. Disposing the result restores
    /// direct delivery, unless another route has replaced this one since.
    /// </summary>
    internal IDisposable DeliverThrough(Action<Action> deliver)
    {
        _deliver = deliver;
        return new DeliveryRoute(this, deliver);
    }

    private bool DashboardPolls => options.Value.Delivery == OrderDelivery.DashboardPolling;

    /// <summary>Idempotent. False when the signed-in user is not a merchant.</summary>
    public Task<bool> StartAsync() => _start ??= StartCoreAsync();

    /// <summary>Re-reads the count from the database and tells the components.</summary>
    public async Task RefreshAsync()
    {
        var version = DashboardPolls ? Interlocked.Read(ref _pollVersion) : notifier.LatestVersion;
        await using var db = await dbFactory.CreateDbContextAsync();
        var count = await db.CountNewAsync(MerchantId);
        var alarm = DashboardPolls ? OrderAlarm.Off : await db.AlarmAsync(MerchantId);
        if (Apply(version, count, alarm))
        {
            Raise(new OrderNotification(MerchantId, version, count, []) { Alarm = alarm });
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _subscription?.Dispose();
    }

    private async Task<bool> StartCoreAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.GetMerchantId() is not { } merchantId || _stopping.IsCancellationRequested)
        {
            return false;
        }

        MerchantId = merchantId;
        ShowHandedOver();
        if (DashboardPolls)
        {
            // The first poll only takes the starting point: orders already there are not news.
            await PollOwnOrdersAsync(announce: false, _stopping.Token);
            _ = PollEveryIntervalAsync(options.Value.DashboardPollInterval, _stopping.Token);
            return true;
        }

        // Subscribe before reading, so a change committed in between is not missed.
        _subscription = notifier.Subscribe(merchantId, OnNotification);
        await RefreshAsync();
        return true;
    }

    // In a circuit the sign-in state is at hand, so this runs before the components' first
    // render: they show what the prerendered page showed until RefreshAsync replaces it (nothing
    // is subscribed yet, so nothing else writes the state meanwhile). The merchant is the
    // signed-in user's, never the handed-over one.
    private void ShowHandedOver()
    {
        if (_handedOver is { } shown && shown.MerchantId == MerchantId && clock.GetUtcNow() - shown.TakenAt <= HandOverMaxAge)
        {
            NewOrderCount = shown.NewOrderCount;
            Alarm = shown.Alarm;
        }

        _handedOver = null;
    }

    private void OnNotification(OrderNotification notification)
    {
        Apply(notification.Version, notification.NewOrderCount, notification.Alarm);
        Raise(notification);
    }

    private async Task PollEveryIntervalAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await PollOwnOrdersAsync(announce: true, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Dashboard poll for merchant {MerchantId} failed; trying again next interval", MerchantId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The circuit ended.
        }
    }

    /// <summary>
    /// The baseline's poll: one query for the count and the newest order id, and a second one
    /// only when there are orders this dashboard has not shown yet.
    /// </summary>
    private async Task PollOwnOrdersAsync(bool announce, CancellationToken ct)
    {
        var version = Interlocked.Increment(ref _pollVersion);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = await db.Merchants.AsNoTracking()
            .Where(m => m.Id == MerchantId)
            .Select(m => new
            {
                Count = m.Orders.Count(o => o.Status == OrderStatus.New),
                LastOrderId = m.Orders.Max(o => (long?)o.Id) ?? 0,
            })
            .FirstAsync(ct);
        List<OrderChangeEvent> created = [];
        if (announce && state.LastOrderId > _lastSeenOrderId)
        {
            var seen = _lastSeenOrderId;
            created = await db.OfMerchant(MerchantId)
                .Where(o => o.Id > seen)
                .OrderBy(o => o.Id)
                .Take(options.Value.BatchSize)
                .Select(o => new OrderChangeEvent(0, o.Id, o.MerchantId, OrderChangeKind.Created, o.Status,
                    o.Number, o.CustomerName, o.Total, o.Currency, o.CreatedAt))
                .ToListAsync(ct);
        }

        _lastSeenOrderId = Math.Max(_lastSeenOrderId, state.LastOrderId);
        var countChanged = state.Count != NewOrderCount;
        if (Apply(version, state.Count, OrderAlarm.Off) && (countChanged || created.Count > 0) && announce)
        {
            Raise(new OrderNotification(MerchantId, version, state.Count, created));
        }
    }

    private void Raise(OrderNotification notification)
    {
        if (Changed is not { } handlers)
        {
            return;
        }

        if (_deliver is { } deliver)
        {
            deliver(() => handlers(notification));
        }
        else
        {
            handlers(notification);
        }
    }

    private sealed class DeliveryRoute(MerchantLiveOrders live, Action<Action> deliver) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref live._deliver, null, deliver);
    }

    /// <summary>Keeps the newest count and alarm: notifications may arrive out of order.</summary>
    private bool Apply(long version, int count, OrderAlarm alarm)
    {
        lock (_gate)
        {
            if (version < _version)
            {
                return false;
            }

            _version = version;
            NewOrderCount = count;
            Alarm = alarm;
            return true;
        }
    }
}

/// <summary>The live view's state as a prerendered page showed it, and when.</summary>
public sealed record LiveOrdersHandOver(int MerchantId, int NewOrderCount, OrderAlarm Alarm, DateTimeOffset TakenAt);
