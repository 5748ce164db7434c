using MerchantPortal.Data;
using MerchantPortal.Circuits;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MerchantPortal.Orders;

public static class OrderNotificationRegistration
{
    /// <summary>The poller (one per process), the notifier, and the per-circuit live view.</summary>
    public static IServiceCollection AddOrderNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrderNotificationOptions>()
            .Bind(configuration.GetSection(OrderNotificationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<OrderNotificationMetrics>();
        services.AddSingleton<OrderNotifier>();
        services.AddSingleton(sp => OrderChangeFeed.For(sp.GetRequiredService<PortalDatabase>().Provider));
        services.AddSingleton<OrderChangePoller>();
        services.AddHostedService(sp => sp.GetRequiredService<OrderChangePoller>());
        services.AddSingleton<PostgreSqlChangeListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgreSqlChangeListener>());
        services.AddScoped<MerchantLiveOrders>();
        services.AddScoped<CircuitHandler, LiveOrdersCircuitHandler>();
        services.AddScoped<OrderDecisions>();
        services.AddScoped<OrderAcknowledgements>();
        services.AddScoped<SoundAlerts>();
        services.AddAwayDigest();
        services.AddScoped<AlertSettings>();
        // Shared with AddPortalCircuits: the services above log what they refuse through it.
        services.TryAddSingleton<RefusedRequests>();
        return services;
    }
}
