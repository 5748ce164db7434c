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
/// batch in progress. Notifications that arrive while the tab's turn is still queued (a busy
/// node: the renderer's thread runs a circuit's work one item at a time) join that turn, so a
/// backlog costs one render per tab, not one per notification: every handler still sees every
/// notification, in order. The layout renders one per merchant tab; without it (a page outside
/// the layout, a component test) each component renders on its own, as before.
/// </summary>
public sealed class LiveOrdersBatch : IComponent, IDisposable
{
    private readonly Lock _gate = new();
    private RenderHandle _handle;
    private IDisposable? _route;
    private bool _disposed;
    private List<Action> _queued = [];
    private bool _turnQueued;

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

    /// <summary>Notifications waiting for this tab's turn (tests).</summary>
    internal int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queued.Count;
            }
        }
    }

    // Called on the notifier's threads: queues the notification and, unless a turn is already
    // queued, one turn on the renderer's thread.
    private void Deliver(Action raise)
    {
        lock (_gate)
        {
            _queued.Add(raise);
            if (_turnQueued)
            {
                return;
            }

            _turnQueued = true;
        }

        _ = _handle.Dispatcher.InvokeAsync(TakeTurn);
    }

    // The components' InvokeAsync runs inline on the renderer's thread, so their StateHasChanged
    // lands in the render under way.
    private void TakeTurn()
    {
        List<Action> raises;
        lock (_gate)
        {
            (raises, _queued) = (_queued, []);
            _turnQueued = false;
        }

        if (_disposed)
        {
            // Gone since this was queued (the tab left the layout): a render of a disposed
            // component is dropped, the notifications must not be.
            raises.ForEach(Run);
            return;
        }

        _handle.Render(_ => raises.ForEach(Run));
    }

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
