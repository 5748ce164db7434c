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
        return services;
    }

    /// <summary>Names the answering node on every response, so support and the load balancer's tests can tell which node served.</summary>
    public static WebApplication UsePortalNodes(this WebApplication app)
    {
        var node = app.Services.GetRequiredService<NodeIdentity>().Name;
        app.Use((context, next) =>
        {
            context.Response.Headers[NodeIdentity.Header] = node;
            return next(context);
        });
        return app;
    }
}
