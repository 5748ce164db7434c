using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// One EventPipe session on a running app's diagnostic port, read the way dotnet-counters reads it (which
/// this registry lacks): the runtime's System.Diagnostics.Metrics event source publishes every instrument
/// of the named meter once per <see cref="RefreshInterval"/>; with logs, the host's default EventSource
/// logger provider adds every warning or error the app logs. The app needs no endpoint or code for either.
/// The command counter (probe) and the app watch (soak) read through it.
/// </summary>
internal sealed class AppMetricsReader : IAsyncDisposable
{
    private const string MetricsProvider = "System.Diagnostics.Metrics";
    private const string LoggingProvider = "Microsoft-Extensions-Logging";
    private const long TimeSeriesValuesKeyword = 0x2;
    private const long JsonMessageKeyword = 0x8;

    /// <summary>Also the granularity of a window's figure: a window should be many of these long.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly EventPipeSession _session;
    private readonly Task _reading;

    private AppMetricsReader(EventPipeSession session, string sessionId, Action<TraceEvent> metric, Action<TraceEvent>? logged)
    {
        _session = session;
        _reading = Task.Run(() => Read(sessionId, metric, logged));
    }

    /// <summary>
    /// Starts the session: <paramref name="metric"/> gets every event of this session's metrics (other listeners'
    /// are told apart by the session id the source tags them with); <paramref name="logged"/>, if given, every
    /// MessageJson event of a warning or worse. Both are called on the reading thread.
    /// </summary>
    public static async Task<AppMetricsReader> StartAsync(int pid, string meterName, Action<TraceEvent> metric, Action<TraceEvent>? logged,
        CancellationToken cancellationToken)
    {
        var sessionId = Guid.NewGuid().ToString("N");
        var arguments = new Dictionary<string, string>
        {
            ["SessionId"] = sessionId,
            ["Metrics"] = meterName,
            ["RefreshInterval"] = RefreshInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["MaxTimeSeries"] = "100",
            ["MaxHistograms"] = "10",
        };
        List<EventPipeProvider> providers = [new(MetricsProvider, EventLevel.Informational, TimeSeriesValuesKeyword, arguments)];
        if (logged is not null)
        {
            providers.Add(new(LoggingProvider, EventLevel.Warning, JsonMessageKeyword));
        }

        var session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 16, cancellationToken);
        return new AppMetricsReader(session, sessionId, metric, logged);
    }

    private void Read(string sessionId, Action<TraceEvent> metric, Action<TraceEvent>? logged)
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += e =>
            {
                if (logged is not null && e.ProviderName == LoggingProvider && e.EventName == "MessageJson")
                {
                    logged(e);
                }
                else if (e.ProviderName == MetricsProvider && e.PayloadByName("sessionId") as string == sessionId)
                {
                    metric(e);
                }
            };
            source.Process();
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or InvalidOperationException)
        {
            // The session ended (app gone or disposed); the last readings stand.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.Run(_session.Stop).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is DiagnosticsClientException or IOException or TimeoutException or ObjectDisposedException)
        {
            // The app is gone; nothing to stop.
        }

        _session.Dispose();
        await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(5)));
    }
}
