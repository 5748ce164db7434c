using Bunit;
using MerchantPortal.Components.Shared;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace MerchantPortal.Tests.Components;

/// <summary>
/// The layout's LiveOrdersBatch in bUnit, with the badge beside it as in the app bar: what a tab's
/// backlog of notifications costs it.
/// </summary>
public sealed class LiveOrdersBatchTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private int _shop1;

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
        await using var db = _database.CreateDbContext();
        _shop1 = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task NotificationsQueuedWhileTheTabIsBusyAreAppliedInOneRenderAndNoneIsLost()
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var host = ctx.Render(builder =>
        {
            builder.OpenComponent<LiveOrdersBatch>(0);
            builder.CloseComponent();
            builder.OpenComponent<NewOrderBadge>(1);
            builder.CloseComponent();
        });
        var batch = host.FindComponent<LiveOrdersBatch>();
        var badge = host.FindComponent<NewOrderBadge>();
        await Eventually.HoldsAsync(() => ctx.Live.HandlerCount > 0, "The badge never subscribed to live orders.");
        badge.WaitForAssertion(() => Assert.NotEqual("", badge.Find("[data-testid=new-order-badge]").TextContent));
        var renders = badge.RenderCount;

        // The tab's renderer is busy (a long render elsewhere in the circuit): three notifications queue up.
        // (From another thread: the renderer runs work inline on an idle caller's thread.)
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
            ctx.Notifier.Publish(new OrderNotification(_shop1, 100 + i, 60 + i, [Created(900 + i, 5000 + i)]));
        }

        await Eventually.HoldsAsync(() => batch.Instance.Queued == 3, $"{batch.Instance.Queued} of 3 notifications queued for the tab's turn.");
        release.Set();
        await busy;

        badge.WaitForAssertion(() => Assert.Equal("63", badge.Find("[data-testid=new-order-badge]").TextContent));
        Assert.Equal(renders + 1, badge.RenderCount);
        // Every order still got its toast: the handlers saw every notification.
        var toasts = ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Count();
        Assert.Equal(3, toasts);
        Assert.Equal(0, batch.Instance.Queued);
    }

    private OrderChangeEvent Created(long orderId, int number) =>
        new(orderId, orderId, _shop1, OrderChangeKind.Created, OrderStatus.New, number, "Ada Lovelace", 12.5m, "EUR", DateTime.UtcNow);
}
