using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Circuits;

/// <summary>
/// One per circuit, first of the handlers. It ends a circuit that no honest tab would make:
/// <list type="bullet">
/// <item>the user's circuit beyond <see cref="CircuitLimitsOptions.MaxPerUser"/> on this node, as it opens;</item>
/// <item>a circuit whose browser sends more than <see cref="CircuitLimitsOptions.MaxInboundPerSecond"/>
/// messages a second (events, JS answers, render acknowledgements, navigations) beyond a burst of
/// twice that. Each event may write to the database, so a flood from one tab would otherwise become
/// a flood of statements that every other merchant waits behind.</item>
/// </list>
/// Throwing is the framework's way for a handler to end a circuit: from OnCircuitOpenedAsync before
/// any component renders, from an inbound activity before that message runs; either way the circuit is
/// torn down and the browser told it failed. Per circuit this costs three fields: no timer, nothing
/// allocated while idle (the token bucket refills from the clock when a message arrives).
/// </summary>
internal sealed class CircuitGuard(
    UserCircuits circuits, IOptions<CircuitLimitsOptions> options, AuthenticationStateProvider authentication, RefusedRequests refused)
    : CircuitHandler
{
    private readonly Lock _gate = new();
    private string? _userId;
    private double _tokens = -1; // -1: full, set at the first message
    private long _lastRefill;

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

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context => TakeToken() ? next(context) : FloodedAsync();

    private bool TakeToken()
    {
        var rate = options.Value.MaxInboundPerSecond;
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            var burst = 2.0 * rate;
            _tokens = _tokens < 0 ? burst : Math.Min(burst, _tokens + (Stopwatch.GetElapsedTime(_lastRefill, now).TotalSeconds * rate));
            _lastRefill = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }

    private async Task FloodedAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        refused.Refused("message flood", user.Identity?.Name,
            $"more than {options.Value.MaxInboundPerSecond} messages a second from one circuit (Circuits:MaxInboundPerSecond); circuit ended");
        throw new InvalidOperationException($"More than {options.Value.MaxInboundPerSecond} messages a second from one circuit (Circuits:MaxInboundPerSecond).");
    }
}
