using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Circuits;

public static class CircuitsRegistration
{
    /// <summary>
    /// The explicit limits of circuits and of their hub (<see cref="CircuitLimitsOptions"/>), the
    /// per-user circuit cap, the node's connection budget and the rate-limited log of refused requests.
    /// </summary>
    public static IServiceCollection AddPortalCircuits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CircuitLimitsOptions>()
            .Bind(configuration.GetSection(CircuitLimitsOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.ClientTimeout >= 2 * o.KeepAliveInterval,
                "Circuits:ClientTimeout must be at least twice Circuits:KeepAliveInterval (a late ping must not drop a live tab).")
            .ValidateOnStart();

        services.AddOptions<CircuitOptions>().Configure<IOptions<CircuitLimitsOptions>>((circuit, limits) =>
        {
            var l = limits.Value;
            circuit.DisconnectedCircuitMaxRetained = l.DisconnectedMaxRetained;
            circuit.DisconnectedCircuitRetentionPeriod = l.DisconnectedRetention;
            circuit.MaxBufferedUnacknowledgedRenderBatches = l.MaxUnacknowledgedRenderBatches;
            circuit.JSInteropDefaultCallTimeout = l.JSInteropTimeout;
            // Never the exception's text to a browser, in Development neither: a hostile client
            // learns nothing of the server's insides from the errors it provokes.
            circuit.DetailedErrors = false;
        });

        // The hub-wide options: Blazor's hub copies them (SignalR's HubOptionsSetup<THub>), and it
        // is the only hub of the app.
        services.AddOptions<HubOptions>().Configure<IOptions<CircuitLimitsOptions>>((hub, limits) =>
        {
            var l = limits.Value;
            hub.MaximumReceiveMessageSize = l.MaxMessageSize;
            hub.KeepAliveInterval = l.KeepAliveInterval;
            hub.ClientTimeoutInterval = l.ClientTimeout;
            hub.HandshakeTimeout = l.HandshakeTimeout;
            // One hub call of a client at a time: Blazor's own client never needs more, and a
            // flood then queues behind itself instead of spreading over the thread pool.
            hub.MaximumParallelInvocationsPerClient = 1;
            hub.EnableDetailedErrors = false;
        });

        services.TryAddSingleton<RefusedRequests>();
        // Read here, not through the options: a logger provider is registered or not.
        if (configuration.GetValue($"{CircuitLimitsOptions.Section}:{nameof(CircuitLimitsOptions.LogForgedCalls)}", true))
        {
            services.AddSingleton<ILoggerProvider, ForgedCallsLog>();
            services.AddLogging(logging =>
            {
                logging.AddFilter<ForgedCallsLog>(null, LogLevel.None);
                foreach (var category in ForgedCallsLog.Categories)
                {
                    logging.AddFilter<ForgedCallsLog>(category, LogLevel.Debug);
                }
            });
        }

        services.AddSingleton<UserCircuits>();
        services.AddScoped<CircuitHandler, CircuitGuard>();
        services.AddSingleton<CircuitHubFilter>();
        services.AddSignalR(hub => hub.AddFilter<CircuitHubFilter>());
        services.AddSingleton<ConnectionBudget>();
        services.AddOptions<KestrelServerOptions>().Configure<ConnectionBudget>((kestrel, budget) =>
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(budget.Middleware)));
        return services;
    }
}
