using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace MerchantPortal.Bench.Soak;

/// <summary>
/// Watches the app from outside through its diagnostic port, in one EventPipe session: the notifier's
/// live subscriber count (the <c>merchantportal.notifier.subscribers</c> up-down counter, published once
/// per refresh interval by the runtime's System.Diagnostics.Metrics source, as dotnet-counters reads it)
/// and every warning or error the app logs (the host's default EventSource logger provider). The app needs
/// no endpoint or code for either.
/// </summary>
public sealed class AppWatch : IAsyncDisposable
{
    public const string MeterName = "MerchantPortal.OrderNotifications";
    public const string SubscribersInstrument = "merchantportal.notifier.subscribers";

    private const string MetricsProvider = "System.Diagnostics.Metrics";
    private const string LoggingProvider = "Microsoft-Extensions-Logging";
    private const long TimeSeriesValuesKeyword = 0x2;
    private const long JsonMessageKeyword = 0x8;
    private const int MaxKeptMessages = 20;

    /// <summary>Microsoft.Extensions.Logging.LogLevel.Error; Critical is above it.</summary>
    private const int ErrorLevel = 4;

    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly EventPipeSession _session;
    private readonly string _sessionId;
    private readonly Task _reading;
    private readonly ConcurrentQueue<string> _messages = new();
    private long _subscribers;
    private long _published;
    private int _instrumentSeen;
    private int _warnings;
    private int _errors;

    private AppWatch(EventPipeSession session, string sessionId)
    {
        _session = session;
        _sessionId = sessionId;
        _reading = Task.Run(Read);
    }

    /// <summary>
    /// The last published subscriber count. The runtime publishes an instrument's value only once it has
    /// one, so before the first subscription ever this stays 0, which is the truth.
    /// </summary>
    public long Subscribers => Interlocked.Read(ref _subscribers);

    /// <summary>Intervals collected so far (with or without values).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Whether the app has the notifier's instrument: the watch is looking at the portal.</summary>
    public bool InstrumentSeen => Volatile.Read(ref _instrumentSeen) == 1;

    public int Warnings => Volatile.Read(ref _warnings);

    /// <summary>Errors and critical entries logged since the watch began.</summary>
    public int Errors => Volatile.Read(ref _errors);

    /// <summary>The first few warnings and errors, "Level Category: message".</summary>
    public IReadOnlyList<string> Messages => [.. _messages];

    public static async Task<AppWatch> StartAsync(int pid, CancellationToken cancellationToken)
    {
        // The metrics source tags its events with the session id, so other listeners' events are ignored.
        var sessionId = Guid.NewGuid().ToString("N");
        var metrics = new Dictionary<string, string>
        {
            ["SessionId"] = sessionId,
            ["Metrics"] = MeterName,
            ["RefreshInterval"] = RefreshInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["MaxTimeSeries"] = "100",
            ["MaxHistograms"] = "10",
        };
        EventPipeProvider[] providers =
        [
            new(MetricsProvider, EventLevel.Informational, TimeSeriesValuesKeyword, metrics),
            new(LoggingProvider, EventLevel.Warning, JsonMessageKeyword),
        ];
        var session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 16, cancellationToken);
        return new AppWatch(session, sessionId);
    }

    /// <summary>Waits for an interval collected after this call, then returns its subscriber count.</summary>
    /// <exception cref="TimeoutException">The app stopped publishing (gone, or its diagnostic port closed).</exception>
    public async Task<long> ReadSettledSubscribersAsync(TimeSpan deadline)
    {
        var target = Published + 2;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Published < target)
        {
            if (waited.Elapsed > deadline)
            {
                throw new TimeoutException($"the app published no metrics interval within {deadline.TotalSeconds:F0} s");
            }

            await Task.Delay(100);
        }

        return Subscribers;
    }

    private void Read()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += e =>
            {
                if (e.ProviderName == LoggingProvider && e.EventName == "MessageJson")
                {
                    Logged(e);
                }
                else if (e.ProviderName == MetricsProvider && e.PayloadByName("sessionId") as string == _sessionId)
                {
                    Metric(e);
                }
            };
            source.Process();
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or InvalidOperationException)
        {
            // The session ended (app gone or disposed); the last readings stand.
        }
    }

    private void Metric(TraceEvent e)
    {
        var instrument = e.PayloadByName("instrumentName") as string;
        switch (e.EventName)
        {
            case "BeginInstrumentReporting" when instrument == SubscribersInstrument:
                Volatile.Write(ref _instrumentSeen, 1);
                break;
            case "UpDownCounterRateValuePublished" when instrument == SubscribersInstrument
                && double.TryParse(e.PayloadByName("value") as string, NumberStyles.Float, CultureInfo.InvariantCulture, out var value):
                // "value" is the counter's running total: the live subscriptions now.
                Interlocked.Exchange(ref _subscribers, (long)value);
                break;
            case "CollectionStop" or "Collection/Stop":
                // Every value of the interval came before this. (TraceEvent names a ...Stop event Task/Stop.)
                Interlocked.Increment(ref _published);
                break;
        }
    }

    private void Logged(TraceEvent e)
    {
        var level = Convert.ToInt32(e.PayloadByName("Level"), CultureInfo.InvariantCulture);
        if (level >= ErrorLevel)
        {
            Interlocked.Increment(ref _errors);
        }
        else
        {
            Interlocked.Increment(ref _warnings);
        }

        if (_messages.Count < MaxKeptMessages)
        {
            var exception = e.PayloadByName("ExceptionJson") as string;
            _messages.Enqueue($"{(level >= ErrorLevel ? "error" : "warning")} {e.PayloadByName("LoggerName")}: {e.PayloadByName("FormattedMessage")}"
                + (string.IsNullOrEmpty(exception) || exception == "{}" ? "" : $" {exception}"));
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
