using Bunit;
using MerchantPortal.Admin;
using MerchantPortal.Components.Pages.Admin;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Components.Admin;

public sealed class AdminHomeTests
{
    [Fact]
    public async Task TheCardCountsActiveMerchantsOnlyAndLinksToTheirManagement()
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        await Data.DemoDataTests.SeedAsync(database);
        var admin = database.Services.GetRequiredService<MerchantAdmin>();
        var closed = await admin.CreateAsync("Closed Shop", AdminActor.CommandLine, Xunit.TestContext.Current.CancellationToken);
        await admin.SetActiveAsync(closed.Id, false, AdminActor.CommandLine, Xunit.TestContext.Current.CancellationToken);
        await admin.CreateAsync("Open Shop", AdminActor.CommandLine, Xunit.TestContext.Current.CancellationToken);
        await using var ctx = await PortalComponentContext.CreateAsync(database, "admin@demo.local");

        var home = ctx.Render<AdminHome>();

        home.WaitForAssertion(() => Assert.Equal("3", home.Find("[data-testid=admin-merchant-count]").TextContent.Trim()));
        Assert.Equal("6", home.Find("[data-testid=admin-new-orders]").TextContent.Trim());
        Assert.Equal("admin/merchants", home.Find("a[data-testid=admin-manage-merchants]").GetAttribute("href"));
    }
}
