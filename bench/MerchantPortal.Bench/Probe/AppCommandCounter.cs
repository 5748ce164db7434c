using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Follows the app's own <c>merchantportal.db.commands</c> counter from outside, the way dotnet-counters
/// does (which this registry lacks): an EventPipe session on the runtime's System.Diagnostics.Metrics
/// event source publishes every instrument of the named meter once per refresh interval. Each
/// CounterRateValuePublished event carries the commands since the previous one; their running sum is
/// the number of commands since the session began, so a window's figure is the difference of two
/// readings.
/// </summary>
public sealed class AppCommandCounter : IAsyncDisposable
{
    private const string MetricsProvider = "System.Diagnostics.Metrics";
    private const string MeterName = "MerchantPortal.Database";
    private const string InstrumentName = "merchantportal.db.commands";
    private const long TimeSeriesValuesKeyword = 0x2;

    /// <summary>Also the granularity of a window's figure: a window should be many of these long.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly EventPipeSession _session;
    private readonly Task _reading;
    private readonly string _sessionId;
    private double _total;
    private long _published;

    private AppCommandCounter(EventPipeSession session, string sessionId)
    {
        _session = session;
        _sessionId = sessionId;
        _reading = Task.Run(Read);
    }

    /// <summary>Commands counted since the session started, as of the last published interval.</summary>
    public double Total => Volatile.Read(ref _total);

    /// <summary>How many intervals were published; a reader waits for one more to be sure a window is closed.</summary>
    public long Published => Interlocked.Read(ref _published);

    public static async Task<AppCommandCounter> StartAsync(int pid, CancellationToken cancellationToken)
    {
        // The source tags every event with the session id it was given, so this reader ignores other listeners' events.
        var sessionId = Guid.NewGuid().ToString("N");
        var arguments = new Dictionary<string, string>
        {
            ["SessionId"] = sessionId,
            ["Metrics"] = MeterName,
            ["RefreshInterval"] = RefreshInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["MaxTimeSeries"] = "100",
            ["MaxHistograms"] = "10",
        };
        var session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(
            new EventPipeProvider(MetricsProvider, EventLevel.Informational, TimeSeriesValuesKeyword, arguments),
            requestRundown: false, circularBufferMB: 16, cancellationToken);
        return new AppCommandCounter(session, sessionId);
    }

    /// <summary>Waits until the app has published an interval that began after this call.</summary>
    public async Task<double> ReadSettledAsync(CancellationToken cancellationToken)
    {
        var target = Published + 2;
        while (Published < target)
        {
            await Task.Delay(100, cancellationToken);
        }

        return Total;
    }

    private void Read()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += e =>
            {
                if (e.ProviderName != MetricsProvider || e.EventName != "CounterRateValuePublished"
                    || e.PayloadByName("sessionId") as string != _sessionId
                    || e.PayloadByName("instrumentName") as string != InstrumentName)
                {
                    return;
                }

                // The "rate" field is the count of the interval just ended (not per second).
                if (double.TryParse(e.PayloadByName("rate") as string, NumberStyles.Float, CultureInfo.InvariantCulture, out var interval))
                {
                    Volatile.Write(ref _total, _total + interval);
                }

                Interlocked.Increment(ref _published);
            };
            source.Process();
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or InvalidOperationException)
        {
            // The session ended (app gone or disposed); the last total stands.
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
