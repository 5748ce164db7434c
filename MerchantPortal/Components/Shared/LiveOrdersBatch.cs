using MerchantPortal.Orders;
using Microsoft.AspNetCore.Components;

namespace MerchantPortal.Components.Shared;

/// <summary>
/// Puts everything one order notification changes in a tab into one render batch. Each live
/// component (badge, title, alarm bar, toasts, page) switching to the renderer on its own makes
/// a batch of its own: each is a message to the browser and an acknowledgement back, a hub call
/// with its own DI scope, so four or five per notification per open tab (the largest share of
/// the app's CPU under a burst of orders; issue 16's profile). Here the notification's handlers
/// run inside a render of this component, which draws nothing: what they re-render joins the
/// batch in progress. The layout renders one per merchant tab; without it (a page outside the
/// layout, a component test) each component renders on its own, as before.
/// </summary>
public sealed class LiveOrdersBatch : IComponent, IDisposable
{
    private RenderHandle _handle;
    private IDisposable? _route;
    private bool _disposed;

    [Inject]
    private MerchantLiveOrders Live { get; set; } = default!;

    [Inject]
    private ILogger<LiveOrdersBatch> Logger { get; set; } = default!;

    public void Attach(RenderHandle renderHandle) => _handle = renderHandle;

    // A prerendered page gets no notifications worth batching: it is sent before any arrive.
    public Task SetParametersAsync(ParameterView parameters)
    {
        if (_route is null && _handle.RendererInfo.IsInteractive)
        {
            _route = Live.DeliverThrough(Deliver);
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _disposed = true;
        _route?.Dispose();
    }

    // Called on the notifier's thread. The components' InvokeAsync runs inline on the
    // renderer's thread, so their StateHasChanged lands in the render under way.
    private void Deliver(Action raise) => _ = _handle.Dispatcher.InvokeAsync(() =>
    {
        if (_disposed)
        {
            // Gone since this was queued (the tab left the layout): a render of a disposed
            // component is dropped, the notification must not be.
            Run(raise);
            return;
        }

        _handle.Render(_ => Run(raise));
    });

    // An exception escaping a render ends the circuit; a failed handler must only be logged.
    private void Run(Action raise)
    {
        try
        {
            raise();
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "An order notification's handler failed");
        }
    }
}
