using Bunit;
using MerchantPortal.Components.Shared;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace MerchantPortal.Tests.Components;

/// <summary>
/// Order toasts: MudBlazor snackbars raised (by the app bar's badge) on the real notifier's
/// publishes, shown by the layout's MudSnackbarProvider (the real MainLayout is rendered), on
/// a real SQLite file.
/// </summary>
public sealed class OrderToastsTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private int _shop1;
    private int _shop2;

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
        await using var db = _database.CreateDbContext();
        _shop1 = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
        _shop2 = await TestOrders.MerchantIdAsync(db, "Demo Shop 2");
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task EachNewOrderGetsAToastWithNumberCustomerAndTotal()
    {
        await using var ctx = await SignedInAsync();
        var layout = ctx.RenderLayout();
        await WaitSubscribedAsync(ctx);

        ctx.Notifier.Publish(new OrderNotification(_shop1, 1, 5, [Created(501, 1042, "Ada Lovelace", 12.5m), Created(502, 1043, "Alan Turing", 99m)]));

        layout.WaitForAssertion(() => Assert.Equal(2, layout.FindAll("[data-testid=order-toast]").Count));
        var texts = layout.FindAll("[data-testid=order-toast]").Select(t => t.TextContent).ToList();
        Assert.Contains(texts, t => t.Contains("New order #1042", StringComparison.Ordinal) && t.Contains("Ada Lovelace · 12.50 EUR", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("New order #1043", StringComparison.Ordinal) && t.Contains("Alan Turing · 99.00 EUR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatusChangesAndOtherMerchantsOrdersMakeNoToast()
    {
        await using var ctx = await SignedInAsync();
        var layout = ctx.RenderLayout();
        await WaitSubscribedAsync(ctx);

        ctx.Notifier.Publish(new OrderNotification(_shop2, 1, 9, [Created(601, 7, "Other Shop's Customer", 1m) with { MerchantId = _shop2 }]));
        ctx.Notifier.Publish(new OrderNotification(_shop1, 2, 2, [Created(501, 1042, "Ada Lovelace", 12.5m) with { Kind = OrderChangeKind.StatusChanged, Status = OrderStatus.Accepted }]));
        // A later toast for this merchant proves both earlier publishes were processed.
        ctx.Notifier.Publish(new OrderNotification(_shop1, 3, 3, [Created(503, 1044, "Grace Hopper", 3m)]));

        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid=order-toast]")));
        Assert.Contains("Grace Hopper", layout.FindAll("[data-testid=order-toast]")[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreThanThreeOrdersInOnePollMakeOneSummaryToast()
    {
        await using var ctx = await SignedInAsync();
        var layout = ctx.RenderLayout();
        await WaitSubscribedAsync(ctx);

        ctx.Notifier.Publish(new OrderNotification(_shop1, 1, 9,
            [.. Enumerable.Range(0, OrderToasts.SummaryThreshold + 1).Select(i => Created(700 + i, 2000 + i, $"Customer {i}", 10m))]));

        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid=order-toast]")));
        Assert.Equal("4 new orders", layout.FindAll("[data-testid=order-toast]")[0].TextContent.Trim());
    }

    [Fact]
    public async Task ExactlyThreeOrdersStillGetOneToastEach()
    {
        await using var ctx = await SignedInAsync();
        var layout = ctx.RenderLayout();
        await WaitSubscribedAsync(ctx);

        ctx.Notifier.Publish(new OrderNotification(_shop1, 1, 9,
            [.. Enumerable.Range(0, OrderToasts.SummaryThreshold).Select(i => Created(700 + i, 2000 + i, $"Customer {i}", 10m))]));

        layout.WaitForAssertion(() => Assert.Equal(3, layout.FindAll("[data-testid=order-toast]").Count));
    }

    [Fact]
    public async Task ClickingAToastOpensItsOrder()
    {
        await using var ctx = await SignedInAsync();
        var layout = ctx.RenderLayout();
        await WaitSubscribedAsync(ctx);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();

        ctx.Notifier.Publish(new OrderNotification(_shop1, 1, 5, [Created(4242, 1042, "Ada Lovelace", 12.5m)]));
        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid=order-toast]")));

        layout.Find("[data-testid=order-toast]").Click();

        layout.WaitForAssertion(() => Assert.Equal("orders/4242", navigation.ToBaseRelativePath(navigation.Uri)));
    }

    [Fact]
    public async Task ClickingTheSummaryOpensTheOrdersList()
    {
        await using var ctx = await SignedInAsync();
        var layout = ctx.RenderLayout();
        await WaitSubscribedAsync(ctx);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();

        ctx.Notifier.Publish(new OrderNotification(_shop1, 1, 9,
            [.. Enumerable.Range(0, 5).Select(i => Created(800 + i, 3000 + i, $"Customer {i}", 10m))]));
        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid=order-toast]")));

        Assert.Equal("orders", layout.Find("[data-testid=order-toast]").GetAttribute("href"));
        layout.Find(".mud-snackbar").Click();

        layout.WaitForAssertion(() => Assert.Equal("orders", navigation.ToBaseRelativePath(navigation.Uri)));
    }

    [Fact]
    public async Task ToastsAreAnnouncedLinkToTheirOrderAndClose()
    {
        await using var ctx = await SignedInAsync();
        var layout = ctx.RenderLayout();
        await WaitSubscribedAsync(ctx);

        ctx.Notifier.Publish(new OrderNotification(_shop1, 1, 5, [Created(4242, 1042, "Ada Lovelace", 12.5m)]));
        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid=order-toast]")));

        var toast = layout.Find(".mud-snackbar");
        Assert.Equal("alert", toast.GetAttribute("role"));
        Assert.Equal("polite", toast.GetAttribute("aria-live"));
        // A link (keyboard, middle click) to the order, and a labelled close button.
        Assert.Equal("orders/4242", layout.Find("[data-testid=order-toast]").GetAttribute("href"));
        layout.Find(".mud-snackbar-close-button[aria-label=Close]").Click();
        layout.WaitForAssertion(() => Assert.Empty(layout.FindAll("[data-testid=order-toast]")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AFullStackGetsOneMoreNewOrdersToastInsteadOfAGrowingQueue()
    {
        await using var ctx = await SignedInAsync();
        var layout = ctx.RenderLayout();
        await WaitSubscribedAsync(ctx);
        // Subscribed after the badge, so it counts a notification once the badge has raised its toasts
        // (a tab's queued notifications share one render, so renders cannot count them).
        var applied = 0;
        ctx.Live.Changed += _ => Interlocked.Increment(ref applied);

        // One order per poll, faster than toasts leave, then a batch: five fill the stack.
        for (var i = 0; i < 12; i++)
        {
            ctx.Notifier.Publish(new OrderNotification(_shop1, i + 1, i + 1, [Created(900 + i, 4000 + i, $"Customer {i}", 10m)]));
        }

        ctx.Notifier.Publish(new OrderNotification(_shop1, 13, 17,
            [.. Enumerable.Range(0, 5).Select(i => Created(950 + i, 4100 + i, $"Batch {i}", 10m))]));
        await Eventually.HoldsAsync(() => Volatile.Read(ref applied) == 13, $"{Volatile.Read(ref applied)} of 13 notifications applied");
        layout.WaitForAssertion(() => Assert.Equal(5, layout.FindAll("[data-testid=order-toast]").Count));
        Assert.DoesNotContain(layout.FindAll("[data-testid=order-toast]"), t => t.TextContent.Contains("More new orders", StringComparison.Ordinal));

        // Closing one lets the overflow toast in (it links to the orders list); closing the
        // other four leaves it alone: nothing else was queued behind the stack.
        for (var closed = 1; closed <= 5; closed++)
        {
            var single = layout.FindAll(".mud-snackbar").First(t => !t.TextContent.Contains("More new orders", StringComparison.Ordinal));
            single.QuerySelector(".mud-snackbar-close-button")!.Click();
            // 4 singles and the overflow after the first; then one fewer each time.
            var expected = closed == 1 ? 5 : 6 - closed;
            layout.WaitForAssertion(() => Assert.True(expected == layout.FindAll("[data-testid=order-toast]").Count,
                $"after closing {closed}: " + string.Join(" | ", layout.FindAll("[data-testid=order-toast]").Select(t => t.TextContent))));
        }

        var overflow = Assert.Single(layout.FindAll("[data-testid=order-toast]"));
        Assert.Contains("More new orders", overflow.TextContent, StringComparison.Ordinal);
        Assert.Equal("orders", overflow.GetAttribute("href"));
    }

    [Fact]
    public async Task AToastComesAndGoesWithoutTimedTransitions()
    {
        await using var ctx = await SignedInAsync();
        var layout = ctx.RenderLayout();
        await WaitSubscribedAsync(ctx);

        ctx.Notifier.Publish(new OrderNotification(_shop1, 1, 5, [Created(4242, 1042, "Ada Lovelace", 12.5m)]));
        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid=order-toast]")));

        // Visible at once: MudBlazor's 500 ms showing state would style it with a timed animation
        // (and cost each tab a timer and a render more); the stylesheet fades it in instead.
        var style = layout.Find(".mud-snackbar").GetAttribute("style") ?? "";
        Assert.DoesNotContain("animation", style, StringComparison.Ordinal);
        Assert.StartsWith("opacity: 1", style, StringComparison.Ordinal);
        // And gone at once when closed, not after a 500 ms hiding state.
        layout.Find(".mud-snackbar-close-button").Click();
        Assert.Empty(layout.FindAll("[data-testid=order-toast]"));
    }

    [Fact]
    public async Task NotificationsQueuedWhileTheTabIsBusyAreAppliedInOneRenderAndNoneIsLost()
    {
        await using var ctx = await SignedInAsync();
        var layout = ctx.RenderLayout();
        await WaitSubscribedAsync(ctx);
        var batch = layout.FindComponent<LiveOrdersBatch>();
        var badge = layout.FindComponent<NewOrderBadge>();
        badge.WaitForAssertion(() => Assert.NotEqual("", badge.Find("[data-testid=new-order-badge]").TextContent));
        var renders = badge.RenderCount;

        // The tab's renderer is busy (a long render elsewhere in the circuit): three notifications
        // queue up for the layout's LiveOrdersBatch. (From another thread: the renderer runs work
        // inline on an idle caller's thread.)
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var busy = Task.Run(() => ctx.Renderer.Dispatcher.InvokeAsync(() =>
        {
            entered.Set();
            release.Wait(TestContext.Current.CancellationToken);
        }), TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => entered.IsSet, "The renderer never became busy.");
        for (var i = 1; i <= 3; i++)
        {
            ctx.Notifier.Publish(new OrderNotification(_shop1, 100 + i, 60 + i, [Created(900 + i, 5000 + i, "Ada Lovelace", 12.5m)]));
        }

        await Eventually.HoldsAsync(() => batch.Instance.Queued == 3, $"{batch.Instance.Queued} of 3 notifications queued for the tab's turn.");
        release.Set();
        await busy;

        badge.WaitForAssertion(() => Assert.Equal("63", badge.Find("[data-testid=new-order-badge]").TextContent));
        Assert.Equal(renders + 1, badge.RenderCount);
        // Every order still got its toast: the handlers saw every notification.
        layout.WaitForAssertion(() => Assert.Equal(3, layout.FindAll("[data-testid=order-toast]").Count));
        Assert.Equal(0, batch.Instance.Queued);
    }

    private async Task<PortalComponentContext> SignedInAsync() =>
        await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");

    private static async Task WaitSubscribedAsync(PortalComponentContext ctx)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (ctx.Live.HandlerCount == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The layout did not subscribe to live orders within 5 s.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    private OrderChangeEvent Created(long orderId, int number, string customer, decimal total) =>
        new(orderId, orderId, _shop1, OrderChangeKind.Created, OrderStatus.New, number, customer, total, "EUR", DateTime.UtcNow);
}
