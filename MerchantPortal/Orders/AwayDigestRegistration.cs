using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MerchantPortal.Orders;

public static class AwayDigestRegistration
{
    /// <summary>First-shown stamps, per-user last-live stamps and the per-circuit "while you were away" window.</summary>
    public static IServiceCollection AddAwayDigest(this IServiceCollection services)
    {
        // Alerts:LastLiveInterval is bound with the rest of the Alerts section (AddPortalAlerts).
        services.AddSingleton<OrderFirstShown>();
        services.AddSingleton<UserPresence>();
        services.AddHostedService<UserPresenceWriter>();
        services.AddScoped<AwayWindow>();
        services.AddScoped<CircuitHandler, UserPresenceCircuitHandler>();
        return services;
    }
}
