using MerchantPortal.Data.Users;
using MerchantPortal.Identity;
using MerchantPortal.Setup;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Web;

/// <summary>What an open circuit's periodic re-check decides, on a real SQLite file.</summary>
public sealed class RevalidationTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async ValueTask InitializeAsync()
    {
        await _database.MigrateAsync();
        await using var scope = _database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountSetup>().EnsureRolesAsync();
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public void OpenCircuitsAreRecheckedAboutEveryMinuteByDefault() =>
        Assert.Equal(TimeSpan.FromMinutes(1), new PortalAuthenticationOptions().RevalidationInterval);

    [Fact]
    public async Task AnUntouchedUserStaysSignedIn()
    {
        var (provider, principal, _) = await SignedInAsync("steady@test.local");

        Assert.True(await provider.IsStillValidAsync(principal));
    }

    [Fact]
    public async Task ALockedUserLosesTheCircuitSession()
    {
        var (provider, principal, email) = await SignedInAsync("locked@test.local");

        await WithUsersAsync(async users =>
        {
            var user = (await users.FindByEmailAsync(email))!;
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddHours(1));
        });

        Assert.False(await provider.IsStillValidAsync(principal));
    }

    [Fact]
    public async Task ADeletedUserLosesTheCircuitSession()
    {
        var (provider, principal, email) = await SignedInAsync("deleted@test.local");

        await WithUsersAsync(async users => await users.DeleteAsync((await users.FindByEmailAsync(email))!));

        Assert.False(await provider.IsStillValidAsync(principal));
    }

    [Fact]
    public async Task AChangedSecurityStampEndsSessionsIssuedBeforeIt()
    {
        var (provider, principal, email) = await SignedInAsync("reset@test.local");

        await WithUsersAsync(async users => await users.UpdateSecurityStampAsync((await users.FindByEmailAsync(email))!));

        Assert.False(await provider.IsStillValidAsync(principal));
    }

    private async Task<(PortalAuthenticationStateProvider Provider, System.Security.Claims.ClaimsPrincipal Principal, string Email)> SignedInAsync(string email)
    {
        await using (var scope = _database.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AccountSetup>().CreateAdminAsync(email, "Test!Pass123");
        }

        return (_database.CircuitAuthentication(), await _database.PrincipalForAsync(email), email);
    }

    private async Task WithUsersAsync(Func<UserManager<PortalUser>, Task> action)
    {
        await using var scope = _database.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>());
    }
}
