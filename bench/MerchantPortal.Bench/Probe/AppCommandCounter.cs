using System.Globalization;
using Microsoft.Diagnostics.Tracing;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Follows the app's own <c>merchantportal.db.commands</c> counter from outside (<see cref="AppMetricsReader"/>):
/// each CounterRateValuePublished event carries the commands since the previous one; their running sum is
/// the number of commands since the session began, so a window's figure is the difference of two
/// readings. The counter's <c>source</c> tag tells the change poller's commands apart; an interval is
/// complete at the source's Collection/Stop event (one event per tag set precedes it).
/// </summary>
public sealed class AppCommandCounter : IAsyncDisposable
{
    private const string MeterName = "MerchantPortal.Database";
    private const string InstrumentName = "merchantportal.db.commands";
    private const string PollerTag = "source=change-poller";

    private AppMetricsReader? _reader;
    private readonly Lock _sums = new();
    private double _total;
    private double _poller;
    private long _published;
    private long _intervals;

    private AppCommandCounter()
    {
    }

    /// <summary>How many readings of the counter were published (one per interval and tag set): none means the app has no such counter.</summary>
    public long Published => Interlocked.Read(ref _published);

    public static async Task<AppCommandCounter> StartAsync(int pid, CancellationToken cancellationToken)
    {
        var counter = new AppCommandCounter();
        counter._reader = await AppMetricsReader.StartAsync(pid, MeterName, counter.Metric, logged: null, cancellationToken);
        return counter;
    }

    /// <summary>Waits until the app has published an interval that began after this call; all commands and the change poller's.</summary>
    public async Task<(double Total, double Poller)> ReadSettledAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _intervals) + 2;
        while (Interlocked.Read(ref _intervals) < target)
        {
            await Task.Delay(100, cancellationToken);
        }

        lock (_sums)
        {
            return (_total, _poller);
        }
    }

    private void Metric(TraceEvent e)
    {
        if (e.EventName == "Collection/Stop")
        {
            Interlocked.Increment(ref _intervals);
            return;
        }

        if (e.EventName != "CounterRateValuePublished" || e.PayloadByName("instrumentName") as string != InstrumentName)
        {
            return;
        }

        // The "rate" field is the count of the interval just ended (not per second).
        if (double.TryParse(e.PayloadByName("rate") as string, NumberStyles.Float, CultureInfo.InvariantCulture, out var interval))
        {
            lock (_sums)
            {
                _total += interval;
                _poller += e.PayloadByName("tags") as string == PollerTag ? interval : 0;
            }
        }

        Interlocked.Increment(ref _published);
    }

    public async ValueTask DisposeAsync()
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
        }
    }
}
