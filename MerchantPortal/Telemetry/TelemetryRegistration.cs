using MerchantPortal.Nodes;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MerchantPortal.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>The standard OpenTelemetry variable that switches export on (WebApplicationBuilder reads every environment variable into configuration).</summary>
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The resource's service.name; service.instance.id is the node name.</summary>
    public const string ServiceName = "MerchantPortal";

    /// <summary>
    /// Every meter of the app (MerchantPortal.OrderNotifications, MerchantPortal.Database today):
    /// a wildcard, so a new area's meter is exported without a change here.
    /// </summary>
    public const string MeterPattern = "MerchantPortal.*";

    /// <summary>
    /// The app's meters, ASP.NET Core and .NET runtime instrumentation, traces and logs, exported
    /// over OTLP as the standard OTEL_* variables say — but only when
    /// <see cref="EndpointKey"/> is set. Without it nothing of OpenTelemetry is registered (no
    /// providers, no listeners, no exporter threads), so a portal that exports nothing pays nothing.
    /// </summary>
    public static IServiceCollection AddPortalTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsEnabled(configuration))
        {
            return services;
        }

        // The same name NodeIdentity resolves (that one needs validated options, not available
        // while registering), so the telemetry of each node can be told apart.
        var node = NodeOptions.ResolveName(configuration[$"{NodeOptions.Section}:{nameof(NodeOptions.Name)}"], configuration["urls"]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceInstanceId: node, autoGenerateServiceInstanceId: false))
            .WithMetrics(metrics => metrics
                .AddMeter(MeterPattern)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation())
            .WithLogging()
            // One exporter for all three signals; endpoint, protocol, headers, intervals and
            // timeouts come from the standard OTEL_* variables (read through configuration).
            .UseOtlpExporter();
        return services;
    }

    public static bool IsEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[EndpointKey]);
}
