using MerchantPortal.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MerchantPortal.Alerts;

/// <summary>
/// One per circuit: counts a merchant user's tab in <see cref="MerchantPresenceTracker"/> while its
/// connection is up. A disconnected circuit that the server still retains (Blazor keeps it for
/// DisconnectedCircuitRetentionPeriod, 3 minutes by default, hoping the tab comes back) does not
/// count: nothing reaches that screen, so nobody can hear an alert there, and counting it would
/// keep a merchant whose laptop went to sleep "online" for minutes. When the connection comes back
/// to the same circuit it counts again. The events arrive one at a time on the circuit's
/// dispatcher, and a circuit disposed while connected reports its connection down before it
/// closes, so the flag below keeps every tab counted at most once.
/// </summary>
internal sealed class MerchantPresenceCircuitHandler(MerchantPresenceTracker tracker, AuthenticationStateProvider authentication) : CircuitHandler
{
    private int? _merchantId;
    private bool _counted;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The circuit's user is set before the circuit opens; admins belong to no merchant and are not counted.
        _merchantId = (await authentication.GetAuthenticationStateAsync()).User.GetMerchantId();
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_merchantId is { } merchantId && !_counted)
        {
            _counted = true;
            // Not awaited: the tab must not wait for the database; the tracker logs and retries.
            _ = tracker.TabOpenedAsync(merchantId);
        }

        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken) => Uncount();

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken) => Uncount();

    private Task Uncount()
    {
        if (_merchantId is { } merchantId && _counted)
        {
            _counted = false;
            _ = tracker.TabClosedAsync(merchantId);
        }

        return Task.CompletedTask;
    }
}
