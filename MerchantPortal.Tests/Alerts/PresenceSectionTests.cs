using Bunit;
using MerchantPortal.Admin;
using MerchantPortal.Components.Pages.Admin;
using MerchantPortal.Data.Alerts;
using MerchantPortal.Data.Nodes;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MerchantPortal.Tests.Alerts;

/// <summary>Admin home's merchant presence, rendered with real services from real rows of a SQLite file.</summary>
public sealed class PresenceSectionTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMerchantIsOnlineOnlyThroughARowOfANodeWhoseHeartbeatIsAliveAndGoesOfflineWhenThatHeartbeatTimesOut()
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        var admin = database.Services.GetRequiredService<MerchantAdmin>();
        var onStoppedNode = await admin.CreateAsync("Shop On A Stopped Node", AdminActor.CommandLine, Ct);
        var closed = await admin.CreateAsync("Closed Shop", AdminActor.CommandLine, Ct);
        await admin.SetActiveAsync(closed.Id, false, AdminActor.CommandLine, Ct);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = database.CreateDbContext())
        {
            var shop1 = await TestOrders.MerchantIdAsync(db, "Demo Shop 1");
            var shop2 = await TestOrders.MerchantIdAsync(db, "Demo Shop 2");
            db.NodeHeartbeats.AddRange(
                new NodeHeartbeat { Name = "alive", StartedAt = now.AddHours(-1), LastSeenAt = now.AddSeconds(-2) },
                new NodeHeartbeat { Name = "dead", StartedAt = now.AddHours(-1), LastSeenAt = now.AddMinutes(-2) },
                new NodeHeartbeat { Name = "stopped", StartedAt = now.AddHours(-1), LastSeenAt = now, StoppedAt = now });
            db.MerchantPresence.AddRange(
                new MerchantPresence { MerchantId = shop1, NodeName = "alive", Since = now.AddMinutes(-7) },
                new MerchantPresence { MerchantId = shop2, NodeName = "dead", Since = now.AddMinutes(-30) },
                new MerchantPresence { MerchantId = onStoppedNode.Id, NodeName = "stopped", Since = now.AddMinutes(-30) },
                new MerchantPresence { MerchantId = closed.Id, NodeName = "alive", Since = now.AddMinutes(-30) });
            await db.SaveChangesAsync(Ct);
        }

        await using var ctx = await PortalComponentContext.CreateAsync(database, "admin@demo.local", s => s.AddSingleton<TimeProvider>(clock));

        var home = ctx.Render<AdminHome>();

        home.WaitForAssertion(() => Assert.Equal(
            ["Demo Shop 1=true", "Demo Shop 2=false", "Shop On A Stopped Node=false"],
            home.FindAll("[data-testid=merchant-presence]").Select(r => $"{r.GetAttribute("data-merchant")}={r.GetAttribute("data-online")}")));
        Assert.Contains("Online for 7 min", home.Find("[data-testid=merchant-presence][data-merchant='Demo Shop 1']").TextContent, StringComparison.Ordinal);

        // The "alive" node writes no more heartbeats: once Node:GoneAfter (30 s) has passed, the next
        // refresh (every Node:HeartbeatInterval, 5 s) shows its merchant offline.
        clock.Advance(TimeSpan.FromSeconds(31));

        home.WaitForAssertion(() => Assert.Equal(
            "false", home.Find("[data-testid=merchant-presence][data-merchant='Demo Shop 1']").GetAttribute("data-online")));
    }
}
