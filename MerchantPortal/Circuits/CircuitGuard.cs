using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Circuits;

/// <summary>
/// One per circuit, first of the handlers. It ends a circuit that no honest tab would make:
/// <list type="bullet">
/// <item>the user's circuit beyond <see cref="CircuitLimitsOptions.MaxPerUser"/> on this node, as it opens;</item>
/// <item>a circuit whose user's circuits on this node send more than <see cref="CircuitLimitsOptions.MaxInboundPerSecond"/>
/// messages a second together (events, JS answers, render acknowledgements, navigations) beyond a
/// burst of five times that; shared per user, so a new circuit does not bring a fresh allowance. Each event may write to the database, so a flood from one tab would otherwise become
/// a flood of statements that every other merchant waits behind.</item>
/// </list>
/// Throwing is the framework's way for a handler to end a circuit: from OnCircuitOpenedAsync before
/// any component renders, from an inbound activity before that message runs; either way the circuit is
/// torn down and the browser told it failed. Per circuit this costs two fields and a small bucket
/// object: no timer, nothing allocated while idle (the bucket refills from the clock when a message arrives).
/// </summary>
internal sealed class CircuitGuard(
    UserCircuits circuits, IOptions<CircuitLimitsOptions> options, AuthenticationStateProvider authentication, RefusedRequests refused)
    : CircuitHandler
{
    private string? _userId;

    // The user's budget once the circuit opened; until then (and for a circuit without a user) its own.
    private InboundBudget _budget = new();

    public override int Order => int.MinValue;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } userId)
        {
            return; // anonymous: the login page; bounded by the hub's own limits
        }

        var cap = options.Value.MaxPerUser;
        if (circuits.TryTake(userId, cap) is not { } budget)
        {
            refused.Refused("circuit over the per-user cap", user.Identity?.Name ?? userId,
                $"the user already holds {cap} circuits on this node (Circuits:MaxPerUser); circuit ended at start");
            throw new InvalidOperationException($"This user already holds {cap} circuits on this node (Circuits:MaxPerUser).");
        }

        _userId = userId;
        _budget = budget;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _userId, null) is { } userId)
        {
            circuits.Release(userId);
        }

        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context => TakeToken() ? next(context) : FloodedAsync();

    private bool TakeToken() => _budget.TryTake(options.Value.MaxInboundPerSecond);

    private async Task FloodedAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        refused.Refused("message flood", user.Identity?.Name,
            $"more than {options.Value.MaxInboundPerSecond} messages a second from the user's circuits on this node (Circuits:MaxInboundPerSecond); circuit ended");
        throw new InvalidOperationException($"More than {options.Value.MaxInboundPerSecond} messages a second from this user's circuits (Circuits:MaxInboundPerSecond).");
    }
}
