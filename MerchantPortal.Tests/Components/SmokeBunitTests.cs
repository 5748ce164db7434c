using Bunit;
using MerchantPortal.Components.Shared;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.Components;

public sealed class SmokeBunitTests
{
    [Fact]
    public async Task BadgeRendersUnderBunit()
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);
        await using var ctx = await PortalComponentContext.CreateAsync(database, "merchant1@demo.local");
        var badge = ctx.RenderWithProviders<NewOrderBadge>();
        badge.WaitForAssertion(() => Assert.Equal("3", badge.Find("[data-testid=new-order-badge]").TextContent.Trim()));
    }
}
