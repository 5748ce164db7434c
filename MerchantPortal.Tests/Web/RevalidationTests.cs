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
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly TestDatabase _database = new(configure: services =>
        services.Configure<PortalAuthenticationOptions>(o => o.RevalidationInterval = Interval));

    private SignedInUsers SignedIn => _database.Services.GetRequiredService<SignedInUsers>();

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

    [Fact]
    public async Task OneQueryReadsTheUsersOfManyOpenCircuits()
    {
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var (_, principal, _) = await SignedInAsync($"many{i}@test.local");
            ids.Add(principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
        }

        using var commands = new CommandMeter(_database.Services);
        // Four circuits per user, all due at once.
        var checks = ids.SelectMany(id => Enumerable.Repeat(id, 4)).Select(id => SignedIn.GetAsync(id, SignedIn.PeriodicMaxAge, TestContext.Current.CancellationToken));
        var states = await Task.WhenAll(checks);

        Assert.All(states, Assert.NotNull);
        // One read for all, or two when some checks queued after the first read had taken its list of users.
        Assert.InRange(commands.Count, 1, 2);
        var afterFirstRound = commands.Count;
        // A reading young enough is reused (a generous age: on a loaded machine the first round can outlast a quarter interval).
        await Task.WhenAll(ids.Select(id => SignedIn.GetAsync(id, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken)));
        Assert.Equal(afterFirstRound, commands.Count);
    }

    [Fact]
    public async Task UsersWhoseFirstChecksArriveOneByOneShareAQuery()
    {
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var (_, principal, _) = await SignedInAsync($"staggered{i}@test.local");
            ids.Add(principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
        }

        using var commands = new CommandMeter(_database.Services);
        // Circuits opened one after another: each check brings a user the snapshot has never read.
        var checks = new List<Task<UserSessionState?>>();
        foreach (var id in ids)
        {
            checks.Add(SignedIn.GetAsync(id, SignedIn.PeriodicMaxAge, TestContext.Current.CancellationToken));
            await Task.Delay(SignedInUsers.BatchWindow / 10, TestContext.Current.CancellationToken);
        }

        Assert.All(await Task.WhenAll(checks), Assert.NotNull);
        Assert.InRange(commands.Count, 1, 2);
    }

    [Fact]
    public async Task CircuitsOpenedTogetherShareOneQueryEvenWhenTheirChecksTrickleIn()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (provider, principal, _) = await SignedInAsync($"burst{i}@test.local");
            // What the server does when the circuit starts.
            provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
            // Stop the provider's own periodic loop: its check would be a query this test does not count on.
            ((IDisposable)provider).Dispose();
            ids.Add(principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
        }

        using var commands = new CommandMeter(_database.Services);
        // One interval later their first checks fall due, each after the previous refresh ended:
        // untracked, every one of them would need a query of its own.
        foreach (var id in ids)
        {
            Assert.NotNull(await SignedIn.GetAsync(id, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
            await Task.Delay(SignedInUsers.BatchWindow * 2, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, commands.Count);
    }

    [Fact]
    public async Task APeriodicCheckSeesALockWithinAQuarterInterval()
    {
        var (_, principal, email) = await SignedInAsync("periodic@test.local");
        var id = principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value;
        var stamp = principal.FindFirst(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType)!.Value;
        Assert.True((await SignedIn.GetAsync(id, SignedIn.PeriodicMaxAge, TestContext.Current.CancellationToken))!.Accepts(stamp, DateTimeOffset.UtcNow));

        await WithUsersAsync(async users => await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(email))!, DateTimeOffset.UtcNow.AddHours(1)));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await SignedIn.GetAsync(id, SignedIn.PeriodicMaxAge, TestContext.Current.CancellationToken))!.Accepts(stamp, DateTimeOffset.UtcNow))
        {
            Assert.True(clock.Elapsed < SignedIn.PeriodicMaxAge + TimeSpan.FromSeconds(2), "The lock was not seen within the periodic check's maximum age.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
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
