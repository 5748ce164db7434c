using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Circuits;

/// <summary>
/// One per circuit, first of the handlers: counts the user's circuits on this node
/// (<see cref="UserCircuits"/>) and ends a circuit beyond <see cref="CircuitLimitsOptions.MaxPerUser"/>
/// as it opens. <see cref="CircuitHubFilter"/> refuses such a StartCircuit quietly beforehand; this is
/// the backstop for a burst of circuits started together before any of them counted. Throwing from
/// OnCircuitOpenedAsync is the framework's way for a handler to refuse a circuit: it is torn down
/// before any component renders. Per circuit it holds one string reference: no timer.
/// </summary>
internal sealed class CircuitGuard(
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
            return; // anonymous: the login page; bounded by the hub's own limits
        }

        var cap = options.Value.MaxPerUser;
        if (!circuits.TryTake(userId, cap))
        {
            refused.Refused("circuit over the per-user cap", user.Identity?.Name ?? userId,
                $"the user already holds {cap} circuits on this node (Circuits:MaxPerUser); circuit ended at start");
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
