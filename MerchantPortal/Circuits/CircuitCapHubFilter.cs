using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Circuits;

/// <summary>
/// Refuses StartCircuit for a user who already holds <see cref="CircuitLimitsOptions.MaxPerUser"/>
/// circuits on this node, before a circuit is even created: the hub's own "no circuit" answer
/// (null) and the connection closed. This is the quiet path (one rate-limited warning, no framework
/// error, no circuit built); <see cref="CircuitGuard"/> still ends the circuits of a burst that
/// started together before any of them counted.
/// </summary>
internal sealed class CircuitCapHubFilter(UserCircuits circuits, IOptions<CircuitLimitsOptions> options, RefusedRequests refused) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.HubMethodName == "StartCircuit"
            && invocationContext.Context.User?.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } userId
            && circuits.CountOf(userId) >= options.Value.MaxPerUser)
        {
            refused.Refused("circuit over the per-user cap", invocationContext.Context.User.Identity?.Name ?? userId,
                $"the user already holds {options.Value.MaxPerUser} circuits on this node (Circuits:MaxPerUser); StartCircuit refused");
            invocationContext.Context.Abort();
            return null;
        }

        return await next(invocationContext);
    }
}
