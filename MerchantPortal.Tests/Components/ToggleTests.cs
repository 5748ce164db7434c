using Bunit;
using MerchantPortal.Components.Shared;
using MerchantPortal.Components.Theme;
using MerchantPortal.Data.Users;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace MerchantPortal.Tests.Components;

/// <summary>
/// The app bar's sound and theme toggles: each choice is stored on the signed-in user in the
/// real SQLite file and read back, so it follows the user to a new circuit or browser.
/// </summary>
public sealed class ToggleTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task SoundToggleStoresTheChoiceOnTheUserAndANewCircuitReadsItBack()
    {
        await using (var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local"))
        {
            var unlock = ctx.JSInterop.SetupModule("./js/sound.js").SetupVoid("unlock");
            var toggle = ctx.Render<SoundToggle>();
            var button = toggle.Find("[data-testid=sound-toggle]");
            Assert.Equal("false", button.GetAttribute("aria-pressed"));

            button.Click();

            toggle.WaitForAssertion(() => Assert.Equal("true", toggle.Find("[data-testid=sound-toggle]").GetAttribute("aria-pressed")));
            // The click is the user gesture that lets the page play sound.
            unlock.VerifyInvoke("unlock");
        }

        Assert.True(await StoredAsync("merchant1@demo.local", u => u.SoundAlerts));
        Assert.False(await StoredAsync("merchant2@demo.local", u => u.SoundAlerts));

        await using (var later = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local"))
        {
            var toggle = later.Render<SoundToggle>();
            toggle.WaitForAssertion(() => Assert.Equal("true", toggle.Find("[data-testid=sound-toggle]").GetAttribute("aria-pressed")));

            toggle.Find("[data-testid=sound-toggle]").Click();

            toggle.WaitForAssertion(() => Assert.Equal("false", toggle.Find("[data-testid=sound-toggle]").GetAttribute("aria-pressed")));
        }

        Assert.False(await StoredAsync("merchant1@demo.local", u => u.SoundAlerts));
    }

    [Theory]
    [InlineData("dark", ThemeChoice.Dark)]
    [InlineData("light", ThemeChoice.Light)]
    public async Task ThemeToggleStoresWhatTheBrowserNowShowsForThatUserOnly(string shown, ThemeChoice stored)
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        var flip = ctx.JSInterop.Setup<string?>("merchantPortalLayout.toggleTheme").SetResult(shown);
        var toggle = ctx.Render<ThemeToggle>();

        toggle.Find("[data-testid=theme-toggle]").Click();

        Assert.Single(flip.Invocations);
        await WaitForAsync(async () => await StoredAsync("merchant1@demo.local", u => u.Theme) == stored);
        Assert.Equal(ThemeChoice.System, await StoredAsync("merchant2@demo.local", u => u.Theme));
        // What App.razor puts on <html> at the user's next page load, on any browser.
        var userId = await StoredAsync("merchant1@demo.local", u => u.Id);
        Assert.Equal(shown, UserThemes.HtmlAttribute(await UserThemes.ReadAsync(ctx.Services.GetRequiredService<IDbContextFactory<MerchantPortal.Data.PortalDbContext>>(), userId, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task ThemeToggleStoresNothingTheBrowserMadeUp()
    {
        await using var ctx = await PortalComponentContext.CreateAsync(_database, "merchant1@demo.local");
        ctx.JSInterop.Setup<string?>("merchantPortalLayout.toggleTheme").SetResult("<script>");
        var toggle = ctx.Render<ThemeToggle>();

        toggle.Find("[data-testid=theme-toggle]").Click();
        toggle.Find("[data-testid=theme-toggle]").Click();

        Assert.Equal(ThemeChoice.System, await StoredAsync("merchant1@demo.local", u => u.Theme));
        Assert.Null(UserThemes.HtmlAttribute(ThemeChoice.System));
    }

    private async Task<T> StoredAsync<T>(string email, System.Linq.Expressions.Expression<Func<PortalUser, T>> value)
    {
        await using var db = _database.CreateDbContext();
        return await db.Users.Where(u => u.Email == email).Select(value).SingleAsync(TestContext.Current.CancellationToken);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The choice was not stored within 5 s.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
