using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MerchantPortal.Alerts;

public static class AlertsRegistration
{
    /// <summary>Alert settings, this node's merchant presence, and the admin's "who is not answering" view.</summary>
    public static IServiceCollection AddPortalAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertsOptions>()
            .Bind(configuration.GetSection(AlertsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<MerchantPresenceTracker>();
        // A hosted service for its start (clear this node's leftover rows) and stop (delete them).
        services.AddHostedService(sp => sp.GetRequiredService<MerchantPresenceTracker>());
        services.AddScoped<CircuitHandler, MerchantPresenceCircuitHandler>();
        services.AddSingleton<AnsweringOverview>();
        return services;
    }
}
