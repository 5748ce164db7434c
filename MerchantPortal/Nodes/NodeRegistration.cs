using MerchantPortal.Data;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Nodes;

public static class NodeRegistration
{
    /// <summary>
    /// The Data Protection application name. Keys are isolated per application name, and the
    /// default is the content root path, which differs between nodes deployed to different
    /// folders: a fixed name is what lets every node read every other node's cookies.
    /// </summary>
    public const string DataProtectionApplicationName = "MerchantPortal";

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

        // One key ring for every node, in the portal's own database (table DataProtectionKeys), so a
        // sign-in cookie, an antiforgery token or a prerendered component's state protected by one
        // node is accepted by all. A file folder would need a share between machines; the database
        // is already the one thing the nodes share.
        services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<PortalDbContext>();

        services.AddSingleton<NodeCircuits>();
        services.AddScoped<CircuitHandler, NodeCircuitHandler>();
        services.AddHostedService<NodeHeartbeatService>();
        // X-Portal-Node on every response (NodeHeaderStartupFilter says why not a middleware here).
        services.AddTransient<IStartupFilter, NodeHeaderStartupFilter>();
        return services;
    }

    /// <summary>Names this node in the start-up line, with the addresses it serves on.</summary>
    public static WebApplication UsePortalNodes(this WebApplication app)
    {
        var node = app.Services.GetRequiredService<NodeIdentity>().Name;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            app.Logger.LogInformation("MerchantPortal node {Node} serving on {Addresses}", node, string.Join(", ", addresses));
        });
        return app;
    }
}
