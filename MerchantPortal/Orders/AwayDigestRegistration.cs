using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MerchantPortal.Orders;

public static class AwayDigestRegistration
{
    /// <summary>First-shown stamps, per-user last-live stamps and the per-circuit "while you were away" window.</summary>
    public static IServiceCollection AddAwayDigest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UserPresenceOptions>()
            .Bind(configuration.GetSection(UserPresenceOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<OrderFirstShown>();
        services.AddSingleton<UserPresence>();
        services.AddHostedService<UserPresenceWriter>();
        services.AddScoped<AwayWindow>();
        services.AddScoped<CircuitHandler, UserPresenceCircuitHandler>();
        return services;
    }
}
