using Bunit;
using MerchantPortal.Components.Shared;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Infrastructure;
using MerchantPortal.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static MerchantPortal.Tests.Components.OrderPages;

namespace MerchantPortal.Tests.Alerts;

/// <summary>
/// "While you were away" on bUnit with the app's real services on a real SQLite file. The
/// circuit's own handler (as the Blazor circuit would call it) sets the window.
/// </summary>
public sealed class AwayDigestComponentTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await MerchantPortal.Tests.Data.DemoDataTests.SeedAsync(_database);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task ANewTabListsTheOrdersSinceTheUserWasLastLiveAndADismissalPersistsForTheSameOrders()
    {
        var shop = await NewShopAsync(_database, ("Seen Before", OrderStatus.New));
        var lastLive = DateTime.UtcNow.AddMinutes(-30);
        await SetLastLiveAsync(shop.Email, lastLive);
        var away = await AddOrdersAsync(_database, shop.MerchantId, DateTime.UtcNow.AddMinutes(-20), ("Away One", OrderStatus.New), ("Away Two", OrderStatus.Accepted));

        await using (var ctx = await OpenTabAsync(shop.Email))
        {
            var digest = ctx.Render<AwayDigest>();

            digest.WaitForAssertion(() => Assert.Equal(2, digest.FindAll("[data-testid=away-digest-order]").Count), Deadline);
            Assert.Equal(away.Select(o => $"orders/{o.Id}"), digest.FindAll("[data-testid=away-digest-order]").Select(a => a.GetAttribute("href")));
            Assert.Contains("While you were away: 2 orders", digest.Find("[data-testid=away-digest]").TextContent);
            Assert.DoesNotContain("Seen Before", digest.Markup);

            await digest.Find("[data-testid=away-digest-dismiss]").ClickAsync(new MouseEventArgs());

            Assert.Empty(digest.FindAll("[data-testid=away-digest]"));
            Assert.NotNull(digest.Find("[data-away-digest=none]"));
            Assert.True((await UserAsync(shop.Email)).AwayDismissedUpTo >= away[^1].CreatedAt);
        }

        // Another tab of the same user (LastLiveAt has not moved): the dismissed orders stay dismissed.
        await using (var ctx = await OpenTabAsync(shop.Email))
        {
            var digest = ctx.Render<AwayDigest>();

            digest.WaitForAssertion(() => Assert.NotNull(digest.Find("[data-away-digest=none]")), Deadline);
            Assert.Empty(digest.FindAll("[data-testid=away-digest]"));
        }

        // An order after the dismissal is listed alone.
        var later = await AddOrdersAsync(_database, shop.MerchantId, DateTime.UtcNow, ("After Dismissal", OrderStatus.New));
        await using (var ctx = await OpenTabAsync(shop.Email))
        {
            var digest = ctx.Render<AwayDigest>();

            digest.WaitForAssertion(() => Assert.Equal([$"orders/{later[0].Id}"], digest.FindAll("[data-testid=away-digest-order]").Select(a => a.GetAttribute("href"))), Deadline);
        }
    }

    [Fact]
    public async Task AReconnectListsExactlyTheOrdersWrittenWhileTheConnectionWasDownAndTheLastTabGoingDownStampsLastLive()
    {
        var shop = await NewShopAsync(_database, ("Before The Cut", OrderStatus.New));
        await using var ctx = await OpenTabAsync(shop.Email);
        var handler = Handler(ctx);
        var digest = ctx.Render<AwayDigest>();
        // A first sign-in: no earlier live time, nothing to list.
        digest.WaitForAssertion(() => Assert.NotNull(digest.Find("[data-away-digest=none]")), Deadline);

        var down = DateTime.UtcNow;
        await handler.OnConnectionDownAsync(null!, Ct);
        var stamped = (await UserAsync(shop.Email)).LastLiveAt;
        Assert.NotNull(stamped);
        Assert.True(stamped >= down.AddSeconds(-1), "the user's only live tab went down: LastLiveAt is that moment");
        var cut = new List<Order>();
        for (var i = 0; i < 3; i++)
        {
            cut.AddRange(await AddOrdersAsync(_database, shop.MerchantId, DateTime.UtcNow, ($"During The Cut {i}", OrderStatus.New)));
        }

        await handler.OnConnectionUpAsync(null!, Ct);

        digest.WaitForAssertion(() => Assert.Equal(cut.Select(o => $"orders/{o.Id}"), digest.FindAll("[data-testid=away-digest-order]").Select(a => a.GetAttribute("href"))), Deadline);
        Assert.DoesNotContain("Before The Cut", digest.Markup);
    }

    [Fact]
    public async Task TheNodeWritesLastLiveForAllItsLiveUsersInOneStatementAndNotForUsersWhoseTabsAreDown()
    {
        var first = await NewShopAsync(_database);
        var second = await NewShopAsync(_database);
        // Three circuits on one node (one UserPresence): two tabs of the first user, one of the second.
        var presence = _database.Services.GetRequiredService<UserPresence>();
        var a1 = await CircuitAsync(presence, first.Email);
        var a2 = await CircuitAsync(presence, first.Email);
        var b = await CircuitAsync(presence, second.Email);
        await b.OnConnectionDownAsync(null!, Ct);
        var secondDown = (await UserAsync(second.Email)).LastLiveAt;
        Assert.NotNull(secondDown);
        Assert.Equal([(await UserAsync(first.Email)).Id], presence.LiveUsers);
        using var meter = new CommandMeter(_database.Services);

        Assert.Equal(1, await presence.WriteLiveUsersAsync(Ct));

        Assert.Equal(1, meter.Count);
        Assert.NotNull((await UserAsync(first.Email)).LastLiveAt);
        Assert.Equal(secondDown, (await UserAsync(second.Email)).LastLiveAt);
        // One of two tabs going down leaves the user live on this node, and writes nothing.
        meter.Reset();
        await a1.OnConnectionDownAsync(null!, Ct);
        Assert.Equal(0, meter.Count);
        Assert.Single(presence.LiveUsers);
        await a2.OnCircuitClosedAsync(null!, Ct);
        Assert.Equal(1, meter.Count);
        Assert.Empty(presence.LiveUsers);
    }

    /// <summary>A circuit of <paramref name="email"/> on the node of <paramref name="presence"/>, connected.</summary>
    private async Task<UserPresenceCircuitHandler> CircuitAsync(UserPresence presence, string email)
    {
        var authentication = _database.CircuitAuthentication();
        authentication.SetAuthenticationState(Task.FromResult(new AuthenticationState(await _database.PrincipalForAsync(email))));
        var handler = new UserPresenceCircuitHandler(
            presence, new AwayWindow(), authentication, _database.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(),
            TimeProvider.System, NullLogger<UserPresenceCircuitHandler>.Instance);
        await handler.OnConnectionUpAsync(null!, Ct);
        return handler;
    }

    /// <summary>A bUnit context as one tab: the circuit handler's first connection sets the window.</summary>
    private async Task<PortalComponentContext> OpenTabAsync(string email)
    {
        var ctx = await OpenAsync(_database, email, poll: false);
        await Handler(ctx).OnConnectionUpAsync(null!, Ct);
        return ctx;
    }

    private static UserPresenceCircuitHandler Handler(PortalComponentContext ctx) =>
        ctx.Services.GetServices<CircuitHandler>().OfType<UserPresenceCircuitHandler>().Single();

    private async Task SetLastLiveAsync(string email, DateTime at)
    {
        await using var db = _database.CreateDbContext();
        await db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(set => set.SetProperty(u => u.LastLiveAt, at), Ct);
    }

    private async Task<MerchantPortal.Data.Users.PortalUser> UserAsync(string email)
    {
        await using var db = _database.CreateDbContext();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Email == email, Ct);
    }
}
