using MerchantPortal.Orders;
using Microsoft.AspNetCore.Components;

namespace MerchantPortal.Components.Shared;

/// <summary>
/// Base for components that follow the merchant's live orders: subscribes on initialisation,
/// switches every change onto the renderer (InvokeAsync) before touching state, re-renders,
/// and unsubscribes on dispose.
/// </summary>
public abstract class LiveOrdersComponent : ComponentBase, IDisposable
{
    private bool _subscribed;
    private bool _disposed;

    [Inject]
    protected MerchantLiveOrders Live { get; set; } = default!;

    [Inject]
    private ILogger<LiveOrdersComponent> Logger { get; set; } = default!;

    /// <summary>False for admins (no merchant): nothing is subscribed then.</summary>
    protected bool IsMerchant { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        IsMerchant = await Live.StartAsync();
        // Disposed while starting (the user navigated away): subscribing now would leak.
        if (IsMerchant && !_disposed)
        {
            Live.Changed += OnChanged;
            _subscribed = true;
        }
    }

    /// <summary>Runs on the renderer's thread; the component re-renders afterwards if <see cref="RendersOrders"/>.</summary>
    protected virtual Task OnOrdersChangedAsync(OrderNotification notification) => Task.CompletedTask;

    /// <summary>
    /// False for a component whose markup shows nothing of the live orders: a render per
    /// notification would send every tab an empty render batch (at 500 orders/s, thousands a second).
    /// </summary>
    protected virtual bool RendersOrders => true;

    private void OnChanged(OrderNotification notification) => _ = ApplyAsync(notification);

    private async Task ApplyAsync(OrderNotification notification)
    {
        try
        {
            await InvokeAsync(async () =>
            {
                await OnOrdersChangedAsync(notification);
                if (RendersOrders)
                {
                    StateHasChanged();
                }
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit ended between the notification and the render.
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "{Component} could not apply an order notification", GetType().Name);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        if (_subscribed)
        {
            Live.Changed -= OnChanged;
            _subscribed = false;
        }

        GC.SuppressFinalize(this);
    }
}
