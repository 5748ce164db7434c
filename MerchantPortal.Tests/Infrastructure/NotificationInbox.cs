using System.Threading.Channels;
using MerchantPortal.Orders;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>Collects what a subscriber receives, for assertions with a deadline.</summary>
public sealed class NotificationInbox
{
    private readonly Channel<OrderNotification> _received = Channel.CreateUnbounded<OrderNotification>();

    public void Add(OrderNotification notification) => _received.Writer.TryWrite(notification);

    public async Task<OrderNotification> NextAsync(TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(5));
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No notification arrived before the deadline.");
        }
    }

    /// <summary>True when nothing (more) arrives within the window: for "not delivered" checks.</summary>
    public async Task<bool> StaysEmptyAsync(TimeSpan window)
    {
        using var timeout = new CancellationTokenSource(window);
        try
        {
            await _received.Reader.WaitToReadAsync(timeout.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public bool TryTake(out OrderNotification? notification) => _received.Reader.TryRead(out notification);
}
