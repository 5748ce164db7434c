using System.Diagnostics;
using AngleSharp.Html.Parser;
using MerchantPortal.Components.Shared;
using MerchantPortal.Data.Orders;
using MerchantPortal.Data.Users;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.Tests.Components;

/// <summary>
/// The badge rendered by the framework's HtmlRenderer with the app's real services on a real
/// SQLite file, signed in through the app's real authentication state provider.
/// </summary>
public sealed class BadgeComponentTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private readonly TestDatabase _database = new();
    private int _shop1;
    private int _shop2;
    private int _shop1NewOrders;

    private OrderNotifier Notifier => _database.Services.GetRequiredService<OrderNotifier>();

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
        await using var db = _database.CreateDbContext();
        _shop1 = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
        _shop2 = await TestOrders.MerchantIdAsync(db, "Demo Shop 2");
        _shop1NewOrders = await db.CountNewAsync(_shop1, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task BadgeShowsTheMerchantsNewOrderCountFromTheDatabase()
    {
        await using var view = await RenderBadgeAsync("merchant1@demo.local");

        Assert.Equal(_shop1NewOrders.ToString(System.Globalization.CultureInfo.InvariantCulture), await view.BadgeTextAsync());
    }

    [Fact]
    public async Task BadgeShowsCountPublishedForItsMerchantOnly()
    {
        await using var view = await RenderBadgeAsync("merchant1@demo.local");

        Notifier.Publish(new OrderNotification(_shop2, 1, 40, []));
        Notifier.Publish(new OrderNotification(_shop1, 2, 41, []));

        await view.WaitForBadgeAsync("41");
        Notifier.Publish(new OrderNotification(_shop2, 3, 50, []));
        // Shop 2's later publish must not leak in; shop 1's next one still arrives.
        Notifier.Publish(new OrderNotification(_shop1, 4, 42, []));
        await view.WaitForBadgeAsync("42");
    }

    [Fact]
    public async Task AnOlderCountArrivingLateDoesNotOverwriteANewerOne()
    {
        await using var view = await RenderBadgeAsync("merchant1@demo.local");

        Notifier.Publish(new OrderNotification(_shop1, 10, 7, []));
        await view.WaitForBadgeAsync("7");
        Notifier.Publish(new OrderNotification(_shop1, 9, 6, []));
        Notifier.Publish(new OrderNotification(_shop1, 11, 8, []));

        await view.WaitForBadgeAsync("8");
    }

    [Fact]
    public async Task RenderingAndDisposingManyTimesLeavesNoSubscriberBehind()
    {
        for (var cycle = 0; cycle < 50; cycle++)
        {
            await using var view = await RenderBadgeAsync("merchant1@demo.local");
            Assert.Equal(1, Notifier.SubscriberCountFor(_shop1));
            Assert.Equal(1, view.Live.HandlerCount);
            await view.DisposeRendererAsync();
            Assert.Equal(0, view.Live.HandlerCount);
        }

        Assert.Equal(0, Notifier.SubscriberCount);
    }

    private async Task<BadgeView> RenderBadgeAsync(string email)
    {
        var principal = await _database.PrincipalForAsync(email);
        var scope = _database.Services.CreateAsyncScope();
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        var root = await renderer.Dispatcher.InvokeAsync(() => renderer.RenderComponentAsync<NewOrderBadge>());
        await root.QuiescenceTask;
        return new BadgeView(scope, renderer, root, scope.ServiceProvider.GetRequiredService<MerchantLiveOrders>());
    }

    private sealed class BadgeView(AsyncServiceScope scope, HtmlRenderer renderer, Microsoft.AspNetCore.Components.Web.HtmlRendering.HtmlRootComponent root, MerchantLiveOrders live) : IAsyncDisposable
    {
        private bool _rendererDisposed;

        public MerchantLiveOrders Live => live;

        public async Task<string?> BadgeTextAsync()
        {
            var html = await renderer.Dispatcher.InvokeAsync(root.ToHtmlString);
            var document = await new HtmlParser().ParseDocumentAsync(html);
            return document.QuerySelector("[data-testid=new-order-badge]")?.TextContent.Trim();
        }

        public async Task WaitForBadgeAsync(string expected)
        {
            var clock = Stopwatch.StartNew();
            string? text;
            while ((text = await BadgeTextAsync()) != expected)
            {
                Assert.True(clock.Elapsed < Deadline, $"Badge shows '{text}', expected '{expected}' within {Deadline}.");
                await Task.Delay(20);
            }
        }

        public async Task DisposeRendererAsync()
        {
            if (!_rendererDisposed)
            {
                _rendererDisposed = true;
                await renderer.DisposeAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await DisposeRendererAsync();
            await scope.DisposeAsync();
        }
    }
}
