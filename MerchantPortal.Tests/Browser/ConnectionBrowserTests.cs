using System.Globalization;
using MerchantPortal.Data.Users;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

[Collection(SharedAppTests.Name)]
public sealed class ConnectionBrowserTests(PortalApp app, BrowserFixture browsers)
{
    private static readonly LocatorAssertionsToHaveTextOptions Visible = new() { UseInnerText = true, Timeout = 30_000 };

    [Fact]
    public async Task AfterTheConnectionDropsAndReturnsTheBadgeEqualsTheDatabase()
    {
        var helper = new LiveAlertsBrowserTests(app, browsers);
        await using var context = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        // Over long polling every exchange is a fresh request, which the test can cut off.
        await context.AddInitScriptAsync(LiveAlertsBrowserTests.BlockWebSocketsScript);
        var tab = await LiveAlertsBrowserTests.OpenAsync(context, "merchant1@demo.local", "/");
        var status = tab.Page.GetByTestId("connection-status");
        await Assertions.Expect(status).ToHaveTextAsync("Live", Visible);

        // The network to /_blazor fails from now on: the poll in flight completes with the first
        // order, the next one fails, and the circuit's connection is down.
        await context.RouteAsync("**/_blazor**", route => route.AbortAsync());
        await helper.InsertAsync("Demo Shop 1", 1);
        await Assertions.Expect(status).ToHaveTextAsync("Reconnecting…", Visible);
        await helper.InsertAsync("Demo Shop 1", 2); // written while the tab is disconnected
        await context.UnrouteAllAsync();

        await Assertions.Expect(status).ToHaveTextAsync("Live", Visible);
        await Assertions.Expect(tab.Badge).ToHaveTextAsync(
            (await helper.NewCountAsync("Demo Shop 1")).ToString(CultureInfo.InvariantCulture), new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });
    }

    [Fact]
    public async Task TheSoundChoiceIsRememberedForTheUser()
    {
        await using var context = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var tab = await LiveAlertsBrowserTests.OpenAsync(context, "merchant2@demo.local", "/");
        var toggle = tab.Page.GetByTestId("sound-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");

        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");

        // Another browser, same user: the choice follows the account, not the device.
        await using var elsewhere = await LiveAlertsBrowserTests.NewContextAsync(browsers, app);
        var other = await LiveAlertsBrowserTests.OpenAsync(elsewhere, "merchant2@demo.local", "/");
        await Assertions.Expect(other.Page.GetByTestId("sound-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await using (var scope = app.Database.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            Assert.True((await users.FindByEmailAsync("merchant2@demo.local"))!.SoundAlerts);
        }

        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
    }
}
