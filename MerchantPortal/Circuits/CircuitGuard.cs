using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Circuits;

/// <summary>
/// One per circuit, first of the handlers: counts the user's connected circuits on this node
/// (<see cref="UserCircuits"/>; open tabs, not circuits retained after a disconnect, which
/// <see cref="CircuitLimitsOptions.DisconnectedMaxRetained"/> bounds for everyone) and ends a new
/// circuit beyond <see cref="CircuitLimitsOptions.MaxPerUser"/> as it opens. <see cref="CircuitHubFilter"/>
/// refuses such a StartCircuit quietly beforehand; this is the backstop for a burst of circuits
/// started together before any of them counted. Throwing from OnCircuitOpenedAsync is the
/// framework's way for a handler to refuse a circuit: it is torn down before any component renders.
/// A reconnect of an existing circuit is never refused. Per circuit: one string reference and a flag.
/// </summary>
internal sealed class CircuitGuard(
    UserCircuits circuits, IOptions<CircuitLimitsOptions> options, AuthenticationStateProvider authentication, RefusedRequests refused)
    : CircuitHandler
{
    private string? _userId;
    private string? _userName;
    private bool _counted;

    public override int Order => int.MinValue;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } userId)
        {
            return; // anonymous: the login page; bounded by the hub's own limits
        }

        var cap = options.Value.MaxPerUser;
        if (circuits.CountOf(userId) >= cap)
        {
            refused.Refused("circuit over the per-user cap", user.Identity?.Name ?? userId,
                $"the user already has {cap} connected circuits on this node (Circuits:MaxPerUser); circuit ended at start");
            throw new InvalidOperationException($"This user already has {cap} connected circuits on this node (Circuits:MaxPerUser).");
        }

        _userId = userId;
        _userName = user.Identity?.Name ?? userId;
    }

    // Names the user in ForgedCallsLog's warnings about calls the framework refuses; the value
    // flows into every continuation of the activity. One AsyncLocal write per inbound message.
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            ForgedCallsLog.CurrentUser.Value = _userName;
            try
            {
                await next(context);
            }
            finally
            {
                ForgedCallsLog.CurrentUser.Value = null;
            }
        };

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_userId is not null && !_counted)
        {
            _counted = true;
            circuits.Take(_userId);
        }

        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken) => ReleaseAsync();

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken) => ReleaseAsync();

    private Task ReleaseAsync()
    {
        if (_userId is not null && _counted)
        {
            _counted = false;
            circuits.Release(_userId, options.Value.MaxInboundPerSecond);
        }

        return Task.CompletedTask;
    }
}
