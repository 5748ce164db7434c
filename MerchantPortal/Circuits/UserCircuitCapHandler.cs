using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Circuits;

/// <summary>
/// Ends a user's circuit beyond <see cref="CircuitLimitsOptions.MaxPerUser"/> on this node as it
/// opens. Throwing from OnCircuitOpenedAsync is the framework's way for a handler to refuse a
/// circuit: the circuit is torn down before any component renders and the browser is told the
/// circuit failed. Runs before the other handlers, so a refused circuit costs no database work.
/// Per circuit it holds one string reference and a flag: no timer, no allocation when idle.
/// </summary>
internal sealed class UserCircuitCapHandler(
    UserCircuits circuits, IOptions<CircuitLimitsOptions> options, AuthenticationStateProvider authentication, RefusedRequests refused)
    : CircuitHandler
{
    private string? _userId;

    public override int Order => int.MinValue;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } userId)
        {
            return; // anonymous: the login page; its circuits are bounded by the hub's own limits
        }

        var cap = options.Value.MaxPerUser;
        if (!circuits.TryTake(userId, cap))
        {
            refused.Refused("circuit over the per-user cap", user.Identity?.Name ?? userId,
                $"user already holds {cap} circuits on this node (Circuits:MaxPerUser); circuit {circuit.Id} ended at start");
            throw new InvalidOperationException($"This user already holds {cap} circuits on this node (Circuits:MaxPerUser).");
        }

        _userId = userId;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _userId, null) is { } userId)
        {
            circuits.Release(userId);
        }

        return Task.CompletedTask;
    }
}
