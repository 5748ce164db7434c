using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Identity;

/// <summary>
/// Re-checks every open circuit's user once per <see cref="PortalAuthenticationOptions.RevalidationInterval"/>: a deleted user, a
/// locked one, or one whose security stamp changed (password reset, lock) is signed out of
/// the circuit, which then shows the login redirect. The user rows come from
/// <see cref="SignedInUsers"/>, one query for all open circuits, not one per circuit.
/// </summary>
public sealed class PortalAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly SignedInUsers _signedIn;
    private readonly TimeProvider _clock;
    private readonly IOptions<IdentityOptions> _options;
    private readonly IOptions<PortalAuthenticationOptions> _authentication;

    public PortalAuthenticationStateProvider(
        ILoggerFactory loggerFactory, SignedInUsers signedIn, TimeProvider clock,
        IOptions<IdentityOptions> options, IOptions<PortalAuthenticationOptions> authentication)
        : base(loggerFactory)
    {
        _signedIn = signedIn;
        _clock = clock;
        _options = options;
        _authentication = authentication;
        // The circuit's user arrives here when the circuit starts: tell SignedInUsers at once,
        // so the first periodic check of a burst of new circuits finds them already read.
        AuthenticationStateChanged += TrackUser;
    }

    protected override TimeSpan RevalidationInterval => _authentication.Value.RevalidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillValidAsync(authenticationState.User, _signedIn.PeriodicMaxAge, cancellationToken);

    /// <summary>False for a deleted or locked user, or a cookie issued before the security stamp changed; read fresh.</summary>
    internal Task<bool> IsStillValidAsync(ClaimsPrincipal principal) => IsStillValidAsync(principal, TimeSpan.Zero, CancellationToken.None);

    private void TrackUser(Task<AuthenticationState> state)
    {
        if (state.IsCompletedSuccessfully && state.Result.User.FindFirstValue(_options.Value.ClaimsIdentity.UserIdClaimType) is { } userId)
        {
            _signedIn.Track(userId);
        }
    }

    private async Task<bool> IsStillValidAsync(ClaimsPrincipal principal, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var claims = _options.Value.ClaimsIdentity;
        if (principal.FindFirstValue(claims.UserIdClaimType) is not { } userId)
        {
            return false;
        }

        var state = await _signedIn.GetAsync(userId, maxAge, cancellationToken);
        return state is not null && state.Accepts(principal.FindFirstValue(claims.SecurityStampClaimType), _clock.GetUtcNow());
    }
}
