using System.Collections.Concurrent;
using System.Globalization;
using MerchantPortal.Bench.Probe;
using Microsoft.Diagnostics.Tracing;

namespace MerchantPortal.Bench.Soak;

/// <summary>
/// Watches the app from outside through its diagnostic port, in one EventPipe session (<see cref="AppMetricsReader"/>):
/// the notifier's live subscriber count (the <c>merchantportal.notifier.subscribers</c> up-down counter,
/// published once per refresh interval) and every warning or error the app logs.
/// </summary>
public sealed class AppWatch : IAsyncDisposable
{
    public const string MeterName = "MerchantPortal.OrderNotifications";
    public const string SubscribersInstrument = "merchantportal.notifier.subscribers";

    private const int MaxKeptMessages = 20;

    /// <summary>Microsoft.Extensions.Logging.LogLevel.Error; Critical is above it.</summary>
    private const int ErrorLevel = 4;

    private readonly ConcurrentQueue<string> _messages = new();
    private AppMetricsReader? _reader;
    private long _subscribers;
    private long _published;
    private int _instrumentSeen;
    private int _warnings;
    private int _errors;

    private AppWatch()
    {
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
        var watch = new AppWatch();
        watch._reader = await AppMetricsReader.StartAsync(pid, MeterName, watch.Metric, watch.Logged, cancellationToken);
        return watch;
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
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
        }
    }
}
