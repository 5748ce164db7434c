using System.Security.Claims;
using MerchantPortal.Admin;
using MerchantPortal.Data;
using MerchantPortal.Data.Users;
using MerchantPortal.Identity;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Admin;

/// <summary>Who may act as an admin: no database involved.</summary>
public sealed class AdminActorTests
{
    [Fact]
    public void OnlyAnAdminPrincipalBecomesAnActor()
    {
        var merchant = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "m@x"), new Claim(ClaimTypes.Role, PortalRoles.Merchant)], "test"));
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "a@x"), new Claim(ClaimTypes.Role, PortalRoles.Admin)], "test"));

        Assert.Throws<UnauthorizedAccessException>(() => AdminActor.From(merchant));
        Assert.Throws<UnauthorizedAccessException>(() => AdminActor.From(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.Equal("a@x", AdminActor.From(admin).Name);
    }
}

/// <summary>The admin services on merchants and accounts, over every provider with an engine here.</summary>
public sealed class AdminAccountsOnSqlite() : AdminAccountTests(DatabaseProvider.Sqlite);

public sealed class AdminAccountsOnPostgreSql() : AdminAccountTests(DatabaseProvider.PostgreSql);

public abstract class AdminAccountTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly AdminActor Actor = new("tester@test.local", "tester-id");
    private TestDatabase _database = null!;

    private MerchantAdmin Merchants => _database.Services.GetRequiredService<MerchantAdmin>();

    private UserAdmin Users => _database.Services.GetRequiredService<UserAdmin>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Demo Shop 1")]
    [InlineData("demo SHOP 1")]
    public async Task ABlankOrTakenMerchantNameIsRefused(string name)
    {
        await Assert.ThrowsAsync<AdminInputException>(() => Merchants.CreateAsync(name, Actor, Ct));

        await using var db = _database.CreateDbContext();
        Assert.Equal(2, await db.Merchants.CountAsync(Ct));
        Assert.Equal(0, await db.Activity.CountAsync(Ct));
    }

    [Fact]
    public async Task MerchantsAreCreatedRenamedDeactivatedAndReactivatedWithAnActivityTrail()
    {
        var merchant = await Merchants.CreateAsync("  Corner Shop ", Actor, Ct);
        await Merchants.RenameAsync(merchant.Id, "Corner Store", Actor, Ct);
        await Merchants.SetActiveAsync(merchant.Id, false, Actor, Ct);
        await Merchants.SetActiveAsync(merchant.Id, true, Actor, Ct);

        await using var db = _database.CreateDbContext();
        var stored = await db.Merchants.SingleAsync(m => m.Id == merchant.Id, Ct);
        Assert.Equal(("Corner Store", true), (stored.Name, stored.IsActive));
        var trail = await db.Activity.OrderBy(e => e.Id).Select(e => e.Action + ": " + e.Details).ToListAsync(Ct);
        Assert.Equal(["Created merchant: Corner Shop", "Renamed merchant: Corner Shop → Corner Store", "Deactivated merchant: Corner Store", "Reactivated merchant: Corner Store"], trail);
    }

    [Fact]
    public async Task RenamingOntoAnotherMerchantsNameIsRefused()
    {
        await using var db = _database.CreateDbContext();
        var id = await TestOrders.MerchantIdAsync(db, "Demo Shop 2");

        var error = await Assert.ThrowsAsync<AdminInputException>(() => Merchants.RenameAsync(id, "Demo Shop 1", Actor, Ct));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(id, await TestOrders.MerchantIdAsync(db, "Demo Shop 2"));
    }

    [Theory]
    [InlineData("new@test.local", "short", "Demo Shop 1", "Passwords must be at least 8 characters")]
    [InlineData("not-an-email", "Valid!Pass1", "Demo Shop 1", "valid e-mail")]
    [InlineData("merchant1@demo.local", "Valid!Pass1", "Demo Shop 1", "already exists")]
    [InlineData("new@test.local", "Valid!Pass1", "No Such Shop", "Unknown merchant")]
    public async Task ABadMerchantUserIsRefusedWithNothingWritten(string email, string password, string merchant, string message)
    {
        var error = await Assert.ThrowsAsync<AdminInputException>(() => Users.CreateMerchantUserAsync(email, password, merchant, Actor, Ct));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        await using var db = _database.CreateDbContext();
        Assert.Equal(3, await db.Users.CountAsync(Ct));
        Assert.Equal(0, await db.Activity.CountAsync(Ct));
    }

    [Fact]
    public async Task LockingAndResettingChangeTheStampSoOpenSessionsEnd()
    {
        await Users.CreateMerchantUserAsync("clerk@test.local", "Clerk!Pass1", "Demo Shop 2", Actor, Ct);
        var (provider, principal) = await SignInAsync("clerk@test.local");
        var id = (await Users.ListAsync(Ct)).Single(u => u.Email == "clerk@test.local").Id;
        Assert.True(await provider.IsStillValidAsync(principal));

        await Users.LockAsync(id, Actor);
        Assert.False(await provider.IsStillValidAsync(principal));
        Assert.True((await Users.ListAsync(Ct)).Single(u => u.Id == id).LockedOut);

        await Users.UnlockAsync(id, Actor);
        var (_, fresh) = await SignInAsync("clerk@test.local");
        Assert.True(await provider.IsStillValidAsync(fresh));
        await Users.ResetPasswordAsync(id, "Fresh!Pass2", Actor);
        Assert.False(await provider.IsStillValidAsync(fresh));

        await Users.DeleteAsync(id, Actor);
        Assert.DoesNotContain(await Users.ListAsync(Ct), u => u.Id == id);
        await using var db = _database.CreateDbContext();
        var actions = await db.Activity.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Ct);
        Assert.Equal(["Created user", "Locked user", "Unlocked user", "Reset password", "Deleted user"], actions);
    }

    [Fact]
    public async Task AnAdminCannotLockOrDeleteTheirOwnAccount()
    {
        var admin = (await Users.ListAsync(Ct)).Single(u => u.Email == "admin@demo.local");
        var self = new AdminActor(admin.Email, admin.Id);

        await Assert.ThrowsAsync<AdminInputException>(() => Users.LockAsync(admin.Id, self));
        await Assert.ThrowsAsync<AdminInputException>(() => Users.DeleteAsync(admin.Id, self));
        Assert.False((await Users.ListAsync(Ct)).Single(u => u.Id == admin.Id).LockedOut);
    }

    private async Task<(PortalAuthenticationStateProvider, ClaimsPrincipal)> SignInAsync(string email) =>
        (_database.CircuitAuthentication(), await _database.PrincipalForAsync(email));
}
