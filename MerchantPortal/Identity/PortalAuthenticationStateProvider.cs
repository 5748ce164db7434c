using System.Security.Claims;
using MerchantPortal.Data.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Identity;

/// <summary>
/// Re-checks every open circuit's user once per <see cref="PortalAuthenticationOptions.RevalidationInterval"/>: a deleted user, a
/// locked one, or one whose security stamp changed (password reset, lock) is signed out of
/// the circuit, which then shows the login redirect.
/// </summary>
public sealed class PortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> options, IOptions<PortalAuthenticationOptions> authentication)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => authentication.Value.RevalidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillValidAsync(authenticationState.User);

    /// <summary>False for a deleted or locked user, or a cookie issued before the security stamp changed.</summary>
    internal async Task<bool> IsStillValidAsync(ClaimsPrincipal principal)
    {
        // A circuit outlives any request scope; take a fresh one (and DbContext) per check.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.GetUserAsync(principal);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var cookieStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return cookieStamp == await users.GetSecurityStampAsync(user);
    }
}
