using Bunit;
using MerchantPortal.Admin;
using MerchantPortal.Components.Pages.Admin;
using MerchantPortal.Data.Users;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantPortal.Tests.Components.Admin;

/// <summary>/admin/merchants on the real admin services and a real SQLite file.</summary>
public sealed class MerchantsPageTests(AdminPageDatabase fixture) : IClassFixture<AdminPageDatabase>
{
    [Fact]
    public async Task EachMerchantNameRuleShowsItsMessageAndWritesNothing()
    {
        await using var ctx = await fixture.SignInAsync();
        var (page, _) = Render(ctx);
        var before = await fixture.CountsAsync();

        foreach (var (name, message) in new[] { ("   ", "Merchant name is required."), (new string('x', 101), "at most 100 characters") })
        {
            page.Fill("merchant-name", name);
            await page.SubmitAsync("merchant-form");
            page.WaitForAssertion(() => Assert.Contains(message, page.FieldError("merchant-name"), StringComparison.Ordinal));
        }

        // A rule only the server knows: the name is taken (case-insensitively).
        page.Fill("merchant-name", "demo shop 1");
        await page.SubmitAsync("merchant-form");
        page.WaitForAssertion(() => Assert.Contains("already exists", page.Text("admin-error"), StringComparison.Ordinal));
        Assert.Equal(before, await fixture.CountsAsync());
    }

    [Fact]
    public async Task ACreatedMerchantIsListedAndStored()
    {
        await using var ctx = await fixture.SignInAsync();
        var (page, _) = Render(ctx);

        page.Fill("merchant-name", "  Corner Shop ");
        await page.SubmitAsync("merchant-form");

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("tr.merchant-row"), r => r.TextContent.Contains("Corner Shop", StringComparison.Ordinal)));
        await using var db = fixture.Database.CreateDbContext();
        Assert.True(await db.Merchants.AnyAsync(m => m.Name == "Corner Shop" && m.IsActive, Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RenamingToAnEmptyNameIsRefusedBesideTheField()
    {
        var id = await NewMerchantAsync("Rename Me");
        await using var ctx = await fixture.SignInAsync();
        var (page, _) = Render(ctx);
        var before = await fixture.CountsAsync();

        await Row(page, "merchant-row", "Rename Me").QuerySelector("[data-testid=merchant-rename]")!.ClickAsync();
        page.Fill("merchant-rename-input", " ");
        await page.SubmitAsync("merchant-rename-form");

        page.WaitForAssertion(() => Assert.Equal("Merchant name is required.", page.FieldError("merchant-rename-input")));
        Assert.Equal(before, await fixture.CountsAsync());
        await using var db = fixture.Database.CreateDbContext();
        Assert.Equal("Rename Me", (await db.Merchants.SingleAsync(m => m.Id == id, Xunit.TestContext.Current.CancellationToken)).Name);
    }

    [Fact]
    public async Task DeactivatingAsksFirstAndOnlyConfirmingDeactivates()
    {
        var id = await NewMerchantAsync("Deactivate Me");
        await using var ctx = await fixture.SignInAsync();
        var (page, dialogs) = Render(ctx);

        var click = Row(page, "merchant-row", "Deactivate Me").QuerySelector("[data-testid=merchant-toggle-active]")!.ClickAsync();
        await dialogs.DialogButton("Cancel").ClickAsync();
        await click;
        Assert.True(await IsActiveAsync(id));

        click = Row(page, "merchant-row", "Deactivate Me").QuerySelector("[data-testid=merchant-toggle-active]")!.ClickAsync();
        await dialogs.DialogButton("Deactivate").ClickAsync();
        await click;
        page.WaitForAssertion(() => Assert.Contains("Inactive", Row(page, "merchant-row", "Deactivate Me").TextContent, StringComparison.Ordinal));
        Assert.False(await IsActiveAsync(id));
    }

    [Fact]
    public async Task EachNewUserRuleShowsItsMessageAndWritesNothing()
    {
        await using var ctx = await fixture.SignInAsync();
        var (page, _) = Render(ctx);
        var before = await fixture.CountsAsync();

        await page.SubmitAsync("user-form");
        page.WaitForAssertion(() =>
        {
            Assert.Equal("E-mail is required.", page.FieldError("user-email"));
            Assert.Equal("Password is required.", page.FieldError("user-password"));
            Assert.Equal("Choose the user's shop.", page.FieldError("user-merchant"));
        });

        page.Fill("user-email", "no-at-sign");
        page.Fill("user-password", "short");
        await page.SubmitAsync("user-form");
        page.WaitForAssertion(() =>
        {
            Assert.Equal("A valid e-mail address is required.", page.FieldError("user-email"));
            Assert.Equal("Password must be at least 8 characters.", page.FieldError("user-password"));
        });

        // Rules only the server knows: the address is taken; Identity's password rules.
        await ChooseShopAsync(page, "Demo Shop 2");
        foreach (var (email, password, message) in new[]
        {
            ("merchant1@demo.local", "Clerk!Pass1", "already exists"),
            ("weak.clerk@test.local", "alllowercase", "uppercase"),
        })
        {
            page.Fill("user-email", email);
            page.Fill("user-password", password);
            await page.SubmitAsync("user-form");
            page.WaitForAssertion(() => Assert.Contains(message, page.Text("admin-error"), StringComparison.Ordinal));
        }

        Assert.Equal(before, await fixture.CountsAsync());
    }

    [Fact]
    public async Task ACreatedUserIsListedWithTheirShop()
    {
        await using var ctx = await fixture.SignInAsync();
        var (page, _) = Render(ctx);

        page.Fill("user-email", "new.clerk@test.local");
        page.Fill("user-password", "Clerk!Pass1");
        await ChooseShopAsync(page, "Demo Shop 2");
        await page.SubmitAsync("user-form");

        page.WaitForAssertion(() => Assert.Contains("Demo Shop 2", Row(page, "user-row", "new.clerk@test.local").TextContent, StringComparison.Ordinal));
        await using var db = fixture.Database.CreateDbContext();
        Assert.Equal("Demo Shop 2", await db.Users.Where(u => u.Email == "new.clerk@test.local").Select(u => u.Merchant!.Name).SingleAsync(Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AShortNewPasswordIsRefusedBesideTheFieldAndTheOldOneStays()
    {
        await NewUserAsync("reset.me@test.local");
        var stamp = await SecurityStampAsync("reset.me@test.local");
        await using var ctx = await fixture.SignInAsync();
        var (page, _) = Render(ctx);

        await Row(page, "user-row", "reset.me@test.local").QuerySelector("[data-testid=user-reset]")!.ClickAsync();
        page.Fill("user-reset-input", "short");
        await page.SubmitAsync("user-reset-form");

        page.WaitForAssertion(() => Assert.Equal("Password must be at least 8 characters.", page.FieldError("user-reset-input")));
        Assert.Equal(stamp, await SecurityStampAsync("reset.me@test.local"));
    }

    [Fact]
    public async Task LockingAsksFirstAndOnlyConfirmingLocks()
    {
        await NewUserAsync("lock.me@test.local");
        await using var ctx = await fixture.SignInAsync();
        var (page, dialogs) = Render(ctx);

        var click = Row(page, "user-row", "lock.me@test.local").QuerySelector("[data-testid=user-toggle-lock]")!.ClickAsync();
        await dialogs.DialogButton("Cancel").ClickAsync();
        await click;
        Assert.False(await IsLockedAsync("lock.me@test.local"));

        click = Row(page, "user-row", "lock.me@test.local").QuerySelector("[data-testid=user-toggle-lock]")!.ClickAsync();
        await dialogs.DialogButton("Lock").ClickAsync();
        await click;
        page.WaitForAssertion(() => Assert.Contains("Locked", Row(page, "user-row", "lock.me@test.local").TextContent, StringComparison.Ordinal));
        Assert.True(await IsLockedAsync("lock.me@test.local"));
    }

    [Fact]
    public async Task DeletingAsksFirstAndOnlyConfirmingDeletes()
    {
        await NewUserAsync("delete.me@test.local");
        await using var ctx = await fixture.SignInAsync();
        var (page, dialogs) = Render(ctx);

        var click = Row(page, "user-row", "delete.me@test.local").QuerySelector("[data-testid=user-delete]")!.ClickAsync();
        await dialogs.DialogButton("Cancel").ClickAsync();
        await click;
        Assert.True(await UserExistsAsync("delete.me@test.local"));

        click = Row(page, "user-row", "delete.me@test.local").QuerySelector("[data-testid=user-delete]")!.ClickAsync();
        await dialogs.DialogButton("Delete").ClickAsync();
        await click;
        page.WaitForAssertion(() => Assert.DoesNotContain(page.FindAll("tr.user-row"), r => r.TextContent.Contains("delete.me@test.local", StringComparison.Ordinal)));
        Assert.False(await UserExistsAsync("delete.me@test.local"));
    }

    [Fact]
    public async Task AMerchantCannotRunAnAdminActionEvenWithThePageOpen()
    {
        // bUnit renders the page without its [Authorize] check: what a tampered circuit could do.
        await using var ctx = await fixture.SignInAsync("merchant1@demo.local");
        var (page, _) = Render(ctx);
        var before = await fixture.CountsAsync();

        page.Fill("merchant-name", "Sneaky Shop");
        await page.SubmitAsync("merchant-form");

        page.WaitForAssertion(() => Assert.Equal("Only admins may do this.", page.Text("admin-error")));
        Assert.Equal(before, await fixture.CountsAsync());
    }

    /// <summary>The page under the providers the layout gives admins; the page brings its own popover provider.</summary>
    private static (IRenderedComponent<Merchants> Page, IRenderedComponent<MudDialogProvider> Dialogs) Render(PortalComponentContext ctx)
    {
        var dialogs = ctx.Render<MudDialogProvider>();
        ctx.Render<MudSnackbarProvider>();
        var page = ctx.Render<Merchants>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("tr.merchant-row")));
        return (page, dialogs);
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<Merchants> page, string rowClass, string text) =>
        Assert.Single(page.FindAll($"tr.{rowClass}"), r => r.TextContent.Contains(text, StringComparison.Ordinal));

    private static async Task ChooseShopAsync(IRenderedComponent<Merchants> page, string shop)
    {
        await page.Find("[data-testid=user-merchant]").Closest(".mud-input-control")!.MouseDownAsync(new());
        AngleSharp.Dom.IElement? item = null;
        page.WaitForAssertion(() => item = Assert.Single(page.FindAll(".mud-popover-open .mud-list-item"), i => i.TextContent.Trim() == shop));
        await item!.ClickAsync();
    }

    private async Task<int> NewMerchantAsync(string name) =>
        (await fixture.Database.Services.GetRequiredService<MerchantAdmin>().CreateAsync(name, AdminActor.CommandLine, Xunit.TestContext.Current.CancellationToken)).Id;

    private Task NewUserAsync(string email) =>
        fixture.Database.Services.GetRequiredService<UserAdmin>().CreateMerchantUserAsync(email, "Clerk!Pass1", "Demo Shop 1", AdminActor.CommandLine, Xunit.TestContext.Current.CancellationToken);

    private async Task<bool> IsActiveAsync(int id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Merchants.Where(m => m.Id == id).Select(m => m.IsActive).SingleAsync(Xunit.TestContext.Current.CancellationToken);
    }

    private async Task<bool> IsLockedAsync(string email)
    {
        await using var scope = fixture.Database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!);
    }

    private async Task<string?> SecurityStampAsync(string email)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.SecurityStamp).SingleAsync(Xunit.TestContext.Current.CancellationToken);
    }

    private async Task<bool> UserExistsAsync(string email)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Users.AnyAsync(u => u.Email == email, Xunit.TestContext.Current.CancellationToken);
    }
}
