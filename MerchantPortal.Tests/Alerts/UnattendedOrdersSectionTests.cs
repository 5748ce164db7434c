using Bunit;
using MerchantPortal.Components.Pages.Admin;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MerchantPortal.Tests.Alerts;

/// <summary>Admin home's unattended orders, rendered with real services from real rows of a SQLite file.</summary>
public sealed class UnattendedOrdersSectionTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnlyNewUnacknowledgedOrdersOlderThanUnattendedAfterAreListedOldestFirstWithMerchantAndAge()
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var now = clock.GetUtcNow().UtcDateTime;
        Order shop1Late, shop2Later, shop1Young;
        await using (var db = database.CreateDbContext())
        {
            // The demo orders are answered, so only this test's orders can be unattended.
            await db.Orders.ExecuteUpdateAsync(set => set.SetProperty(o => o.AcknowledgedAt, now).SetProperty(o => o.AcknowledgedBy, "test"), Ct);
            var shop1 = await db.Merchants.SingleAsync(m => m.Name == "Demo Shop 1", Ct);
            var shop2 = await db.Merchants.SingleAsync(m => m.Name == "Demo Shop 2", Ct);
            var generator = new OrderGenerator();
            shop1Late = generator.Next(shop1, now.AddMinutes(-12));
            shop2Later = generator.Next(shop2, now.AddMinutes(-125));
            shop1Young = generator.Next(shop1, now.AddMinutes(-2));
            var acknowledged = generator.Next(shop1, now.AddMinutes(-20));
            acknowledged.AcknowledgedAt = now.AddMinutes(-19);
            acknowledged.AcknowledgedBy = "merchant1@demo.local";
            var accepted = generator.Next(shop2, now.AddMinutes(-30), OrderStatus.Accepted);
            db.Orders.AddRange(shop1Late, shop2Later, shop1Young, acknowledged, accepted);
            await db.SaveChangesAsync(Ct);
        }

        await using var ctx = await PortalComponentContext.CreateAsync(database, "admin@demo.local", s => s.AddSingleton<TimeProvider>(clock));

        var home = ctx.Render<AdminHome>();

        home.WaitForAssertion(() => Assert.Equal(
            [$"{shop2Later.Id}|Demo Shop 2|#{shop2Later.Number}|2 h 05 min", $"{shop1Late.Id}|Demo Shop 1|#{shop1Late.Number}|12 min"],
            Rows(home)));

        // Time passes with nobody answering: the young order crosses Alerts:UnattendedAfter (5 min)
        // and the next refresh lists it, with every age grown.
        clock.Advance(TimeSpan.FromMinutes(4));

        home.WaitForAssertion(() => Assert.Equal(
            [$"{shop2Later.Id}|Demo Shop 2|#{shop2Later.Number}|2 h 09 min", $"{shop1Late.Id}|Demo Shop 1|#{shop1Late.Number}|16 min", $"{shop1Young.Id}|Demo Shop 1|#{shop1Young.Number}|6 min"],
            Rows(home)));

        // Acknowledged anywhere: gone at the next refresh.
        await using (var db = database.CreateDbContext())
        {
            Assert.Single(await db.AcknowledgeAsync(shop1Late.MerchantId, shop1Late.Id, "merchant1@demo.local", now, Ct));
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        home.WaitForAssertion(() => Assert.Equal(2, Rows(home).Count));
        Assert.DoesNotContain(Rows(home), r => r.StartsWith($"{shop1Late.Id}|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithEveryOrderAnsweredTheSectionSaysSo()
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        await using (var db = database.CreateDbContext())
        {
            await db.Orders.ExecuteUpdateAsync(set => set.SetProperty(o => o.AcknowledgedAt, DateTime.UtcNow), Ct);
        }

        await using var ctx = await PortalComponentContext.CreateAsync(database, "admin@demo.local");

        var home = ctx.Render<AdminHome>();

        home.WaitForAssertion(() => Assert.NotNull(home.Find("[data-testid=unattended-none]")));
        Assert.Empty(home.FindAll("[data-testid=unattended-order]"));
    }

    private static List<string> Rows(IRenderedComponent<AdminHome> home) =>
        home.FindAll("[data-testid=unattended-order]")
            .Select(r => string.Join('|', r.GetAttribute("data-order"), r.GetAttribute("data-merchant"),
                r.Children[1].TextContent.Trim(), r.QuerySelector("[data-testid=unattended-age]")!.TextContent.Trim()))
            .ToList();
}
