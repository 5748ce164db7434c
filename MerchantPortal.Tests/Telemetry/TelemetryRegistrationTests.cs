using System.Diagnostics.Metrics;
using MerchantPortal.Data;
using MerchantPortal.Nodes;
using MerchantPortal.Orders;
using MerchantPortal.Telemetry;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MerchantPortal.Tests.Telemetry;

/// <summary>
/// AddPortalTelemetry inside a real host with the app's data, notification and node registrations
/// on a migrated SQLite file: the app's meters reach OpenTelemetry when an endpoint is configured,
/// and nothing of OpenTelemetry is registered when none is.
/// </summary>
public sealed class TelemetryRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithAnEndpointThePollersAndDatabaseMetersAreReadThroughOpenTelemetry()
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        var exported = new List<MetricSnapshot>();
        // A closed port: the OTLP exporter is registered for real but has nowhere to send, so only
        // the in-memory exporter the test adds sees the measurements.
        using var host = BuildHost(database, AppProcess.FreeLoopbackAddress().ToString(),
            services => services.ConfigureOpenTelemetryMeterProvider(b => b.AddInMemoryExporter(exported)));
        await host.StartAsync(Ct); // starts the poller (a hosted service), which polls at once
        var meters = host.Services.GetRequiredService<MeterProvider>();
        var poller = host.Services.GetRequiredService<OrderChangePoller>();

        await Eventually.HoldsAsync(() => poller.LastPolledAt is not null, "The poller never polled.");
        poller.Wake(); // and once more, so the count moves while OpenTelemetry is listening
        await Eventually.HoldsAsync(() =>
        {
            lock (exported)
            {
                exported.Clear();
                meters.ForceFlush();
                return Sum(exported, "merchantportal.poller.polls") >= 2 && Sum(exported, "merchantportal.db.commands") >= 2;
            }
        }, "merchantportal.poller.polls and merchantportal.db.commands did not reach the in-memory exporter.");

        lock (exported)
        {
            Assert.Equal(OrderNotificationMetrics.MeterName, exported.First(m => m.Name == "merchantportal.poller.polls").MeterName);
            Assert.Equal(DatabaseCommandMetrics.MeterName, exported.First(m => m.Name == "merchantportal.db.commands").MeterName);
        }

        var resource = meters.GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal(TelemetryRegistration.ServiceName, resource["service.name"]);
        Assert.Equal(host.Services.GetRequiredService<NodeIdentity>().Name, resource["service.instance.id"]);
        Assert.NotNull(host.Services.GetService<TracerProvider>());
        Assert.NotNull(host.Services.GetService<LoggerProvider>());
        await host.StopAsync(Ct);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task WithoutAnEndpointNothingOfOpenTelemetryIsRegistered(string? endpoint)
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        var services = new ServiceCollection();
        var configuration = Configuration(database, endpoint);

        services.AddPortalTelemetry(configuration);

        Assert.Empty(services);
        using var host = BuildHost(database, endpoint);
        await host.StartAsync(Ct);
        Assert.Null(host.Services.GetService<MeterProvider>());
        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<LoggerProvider>());
        Assert.Empty(host.Services.GetServices<IMetricsListener>());
        Assert.DoesNotContain(host.Services.GetServices<ILoggerProvider>(), p => IsOpenTelemetry(p.GetType()));
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => IsOpenTelemetry(s.GetType()));
        await host.StopAsync(Ct);
    }

    /// <summary>The app's own registrations for these areas, as Program.cs makes them, in a generic host.</summary>
    private static IHost BuildHost(TestDatabase database, string? endpoint, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(Configuration(database, endpoint));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System); // the app's AddPortalIdentity registers it
        builder.Services.AddPortalData(builder.Configuration, Path.GetTempPath());
        builder.Services.AddOrderNotifications(builder.Configuration);
        builder.Services.AddPortalNodes(builder.Configuration);
        builder.Services.AddPortalTelemetry(builder.Configuration);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    private static IConfiguration Configuration(TestDatabase database, string? endpoint)
    {
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            [TelemetryRegistration.EndpointKey] = endpoint,
            ["urls"] = "http://127.0.0.1:5999",
        };
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static long Sum(List<MetricSnapshot> metrics, string name) =>
        metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints).Sum(p => p.GetSumLong());

    private static bool IsOpenTelemetry(Type type) =>
        type.Assembly.GetName().Name!.StartsWith("OpenTelemetry", StringComparison.Ordinal);
}
