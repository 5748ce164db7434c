using MerchantPortal.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MerchantPortal.Health;

/// <summary>
/// The load balancer's two probes. <c>/health/live</c> runs no check: 200 while the process
/// answers (restart it when it does not). <c>/health/ready</c> runs the checks tagged
/// <see cref="ReadyTag"/>: 200 "Healthy" while this node can serve, 503 "Unhealthy" while it
/// cannot (send it no new sessions). Both are anonymous, one word of text/plain, never cached.
/// </summary>
public static class HealthRegistration
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string ReadyTag = "ready";

    /// <summary>
    /// Longest any one check may take. A probe against a database host that drops packets would
    /// otherwise wait for the driver's connect timeout (15 s for Npgsql and SqlClient) while the
    /// load balancer's own probe timeout has long given up, and pile up requests meanwhile.
    /// </summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The health service writes one line per check on every probe: its category, silenced below.</summary>
    private const string HealthCheckServiceCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    public static IServiceCollection AddPortalHealth(this IServiceCollection services)
    {
        // Singletons: the migrations check remembers an up-to-date schema, the log the last answer.
        services.AddSingleton<MigrationsAppliedCheck>();
        services.AddSingleton<ChangePollerCheck>();
        services.AddSingleton<ReadinessLog>();
        services.AddHealthChecks()
            // The library's check: CanConnectAsync on a context of its own (a fresh scope per probe).
            .AddDbContextCheck<PortalDbContext>("database", tags: [ReadyTag])
            .AddCheck<MigrationsAppliedCheck>("migrations", tags: [ReadyTag])
            .AddCheck<ChangePollerCheck>("change-poller", tags: [ReadyTag]);

        // AddDbContextCheck has no timeout parameter, so every check gets its timeout here: at the
        // timeout the health service cancels the check's token and reports it Unhealthy ("A timeout
        // occurred while running check."); TimeBoxedCheck makes that true of checks that ignore it.
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations)
            {
                if (registration.Timeout == Timeout.InfiniteTimeSpan)
                {
                    registration.Timeout = CheckTimeout;
                }

                var create = registration.Factory;
                registration.Factory = sp => new TimeBoxedCheck(sp.GetRequiredService<IServiceScopeFactory>(), create);
            }
        });

        // The health service logs every unhealthy check of every probe at Error: a load balancer
        // probing each node every 2 s during a database outage would write a line (with a stack
        // trace) every 2 s per balancer. ReadinessLog writes each change of the answer once instead,
        // with the reason, so the per-probe lines carry nothing it does not.
        services.AddLogging(logging => logging.AddFilter(HealthCheckServiceCategory, LogLevel.None));
        return services;
    }

    public static WebApplication MapPortalHealth(this WebApplication app)
    {
        // No check at all: answering is the proof of life. A database outage must not make the
        // orchestrator restart every node (that would not bring the database back).
        Probe(app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }));

        var ready = new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag) };
        // The framework's own writer (the status word as text/plain), after noting the answer.
        var writeStatus = ready.ResponseWriter;
        var log = app.Services.GetRequiredService<ReadinessLog>();
        ready.ResponseWriter = (context, report) =>
        {
            log.Record(report);
            return writeStatus(context, report);
        };
        Probe(app.MapHealthChecks(ReadyPath, ready));
        return app;
    }

    /// <summary>
    /// A probe carries no cookie and no antiforgery token, and a 503 must reach the load balancer
    /// as it is, not re-executed into the app's "not found" page. The middleware already sends
    /// Cache-Control: no-store (HealthCheckOptions.AllowCachingResponses is false by default).
    /// </summary>
    private static void Probe(IEndpointConventionBuilder endpoint) =>
        endpoint.AllowAnonymous()
            .DisableAntiforgery()
            .WithMetadata(new SkipStatusCodePagesAttribute());
}
