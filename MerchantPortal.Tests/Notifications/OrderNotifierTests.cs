using MerchantPortal.Orders;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MerchantPortal.Tests.Notifications;

public sealed class OrderNotifierTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    internal static OrderNotifier CreateNotifier()
    {
        var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        return new OrderNotifier(new OrderNotificationMetrics(metrics), NullLogger<OrderNotifier>.Instance);
    }

    internal static OrderNotification Notification(int merchantId, long version = 1, int count = 1) => new(merchantId, version, count, []);

    [Fact]
    public async Task PublishReachesOnlyTheSubscribersOfThatMerchant()
    {
        var notifier = CreateNotifier();
        var shop1 = new NotificationInbox();
        var shop1SecondTab = new NotificationInbox();
        var shop2 = new NotificationInbox();
        using var a = notifier.Subscribe(1, shop1.Add);
        using var b = notifier.Subscribe(1, shop1SecondTab.Add);
        using var c = notifier.Subscribe(2, shop2.Add);

        Assert.Equal(2, notifier.Publish(Notification(1, count: 7)));

        Assert.Equal(7, (await shop1.NextAsync()).NewOrderCount);
        Assert.Equal(7, (await shop1SecondTab.NextAsync()).NewOrderCount);
        Assert.True(await shop2.StaysEmptyAsync(Quiet));
    }

    [Fact]
    public async Task DisposingASubscriptionStopsItsDelivery()
    {
        var notifier = CreateNotifier();
        var inbox = new NotificationInbox();
        var subscription = notifier.Subscribe(1, inbox.Add);

        subscription.Dispose();
        subscription.Dispose(); // twice is harmless

        Assert.Equal(0, notifier.Publish(Notification(1)));
        Assert.Equal(0, notifier.SubscriberCount);
        Assert.Equal(0, notifier.SubscriberCountFor(1));
        Assert.True(await inbox.StaysEmptyAsync(Quiet));
    }

    [Fact]
    public async Task AThrowingSubscriberDoesNotStopTheOthers()
    {
        var notifier = CreateNotifier();
        var inbox = new NotificationInbox();
        using var bad = notifier.Subscribe(1, _ => throw new InvalidOperationException("boom"));
        using var good = notifier.Subscribe(1, inbox.Add);

        notifier.Publish(Notification(1, version: 1));
        notifier.Publish(Notification(1, version: 2));

        var versions = new[] { (await inbox.NextAsync()).Version, (await inbox.NextAsync()).Version };
        Assert.Equal([1L, 2L], versions.Order());
    }

    [Fact]
    public async Task ABlockedSubscriberDoesNotDelayTheOthersOrThePublisher()
    {
        var notifier = CreateNotifier();
        using var release = new ManualResetEventSlim();
        var inbox = new NotificationInbox();
        using var stuck = notifier.Subscribe(1, _ => release.Wait(TimeSpan.FromSeconds(10)));
        using var good = notifier.Subscribe(1, inbox.Add);

        var publish = Task.Run(() => notifier.Publish(Notification(1)));

        Assert.Equal(2, await publish.WaitAsync(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken));
        await inbox.NextAsync(TimeSpan.FromSeconds(2));
        release.Set();
    }

    [Fact]
    public async Task ConcurrentSubscribePublishAndDisposeLeaveNoSubscriberBehind()
    {
        var notifier = CreateNotifier();
        using var steady = notifier.Subscribe(3, _ => { });
        var delivered = 0;
        var inbox = new NotificationInbox();
        using var observer = notifier.Subscribe(5, inbox.Add);

        await Parallel.ForAsync(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, (i, _) =>
        {
            var merchant = i % 10;
            using (notifier.Subscribe(merchant, _ => Interlocked.Increment(ref delivered)))
            {
                notifier.Publish(Notification(merchant, version: i));
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(2, notifier.SubscriberCount);
        Assert.Equal(1, notifier.SubscriberCountFor(3));
        Assert.Equal(1, notifier.SubscriberCountFor(5));
        Assert.Equal(0, notifier.SubscriberCountFor(1));
        Assert.Equal(1999, notifier.LatestVersion);
        // The steady subscriber of merchant 5 got every publish for merchant 5 (200 of them).
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(5, (await inbox.NextAsync()).MerchantId);
        }
    }
}
