using System.Security.Claims;
using MerchantPortal.Data;
using MerchantPortal.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>
/// One per circuit of a merchant user: counts the circuit in <see cref="UserPresence"/> while its
/// connection is up, and sets the circuit's <see cref="AwayWindow"/>. On the first connection
/// the window starts at the user's LastLiveAt, read before this circuit counts as live (so the
/// node's timer cannot overwrite it first). A connection that goes down and comes back to the
/// same circuit knows when it went down: the window is exactly the time it was cut off.
/// </summary>
internal sealed class UserPresenceCircuitHandler(
    UserPresence presence,
    AwayWindow window,
    AuthenticationStateProvider authentication,
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    ILogger<UserPresenceCircuitHandler> logger) : CircuitHandler
{
    private string? _userId;
    private bool _started;
    private bool _connected;
    private DateTime? _downAt;

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            await StartAsync(cancellationToken);
        }
        else if (_userId is not null && _downAt is { } downAt)
        {
            window.Set(downAt, Now, announce: true);
        }

        if (_userId is not null && !_connected)
        {
            _connected = true;
            presence.Connected(_userId);
        }
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _downAt = Now;
        return GoneAsync();
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken) => GoneAsync();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task StartAsync(CancellationToken ct)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.GetMerchantId() is null || user.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } userId)
        {
            return;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var lastLive = await db.Users.Where(u => u.Id == userId).Select(u => u.LastLiveAt).SingleOrDefaultAsync(ct);
            // Announced too: a component that initialized before this handler ran (a circuit
            // resumed into the same page, or simply scheduled first) reads the window now.
            window.Set(lastLive, Now, announce: true);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not read when user {UserId} was last live; no away digest for this tab", userId);
        }

        _userId = userId;
    }

    // The user's last live tab on this node going down stamps LastLiveAt now, so a reload, a
    // wake from sleep or another device lists what arrives from here on.
    private async Task GoneAsync()
    {
        if (_userId is null || !_connected)
        {
            return;
        }

        _connected = false;
        if (!presence.Disconnected(_userId))
        {
            return;
        }

        try
        {
            await presence.WriteAsync([_userId], Now);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record when user {UserId} was last live", _userId);
        }
    }
}
