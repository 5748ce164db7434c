using Microsoft.Extensions.Options;

namespace MerchantPortal.Nodes;

public static class NodeRegistration
{
    /// <summary>This process as one node of several: its name, the shared key ring and its heartbeat.</summary>
    public static IServiceCollection AddPortalNodes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NodeOptions>()
            .Bind(configuration.GetSection(NodeOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.GoneAfter >= 2 * o.HeartbeatInterval, "Node:GoneAfter must be at least twice Node:HeartbeatInterval.")
            .ValidateOnStart();
        services.AddSingleton(sp => new NodeIdentity(
            NodeOptions.ResolveName(sp.GetRequiredService<IOptions<NodeOptions>>().Value.Name, configuration["urls"])));
        services.AddTransient<IStartupFilter, NodeHeaderStartupFilter>();
        return services;
    }
}
