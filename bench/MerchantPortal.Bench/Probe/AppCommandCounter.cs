using System.Globalization;
using Microsoft.Diagnostics.Tracing;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Follows the app's own <c>merchantportal.db.commands</c> counter from outside (<see cref="AppMetricsReader"/>):
/// each CounterRateValuePublished event carries the commands since the previous one; their running sum is
/// the number of commands since the session began, so a window's figure is the difference of two
/// readings.
/// </summary>
public sealed class AppCommandCounter : IAsyncDisposable
{
    private const string MeterName = "MerchantPortal.Database";
    private const string InstrumentName = "merchantportal.db.commands";

    private AppMetricsReader? _reader;
    private double _total;
    private long _published;

    private AppCommandCounter()
    {
    }

    /// <summary>Commands counted since the session started, as of the last published interval.</summary>
    public double Total => Volatile.Read(ref _total);

    /// <summary>How many intervals were published; a reader waits for one more to be sure a window is closed.</summary>
    public long Published => Interlocked.Read(ref _published);

    public static async Task<AppCommandCounter> StartAsync(int pid, CancellationToken cancellationToken)
    {
        var counter = new AppCommandCounter();
        counter._reader = await AppMetricsReader.StartAsync(pid, MeterName, counter.Metric, logged: null, cancellationToken);
        return counter;
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

    private void Metric(TraceEvent e)
    {
        if (e.EventName != "CounterRateValuePublished" || e.PayloadByName("instrumentName") as string != InstrumentName)
        {
            return;
        }

        // The "rate" field is the count of the interval just ended (not per second).
        if (double.TryParse(e.PayloadByName("rate") as string, NumberStyles.Float, CultureInfo.InvariantCulture, out var interval))
        {
            Volatile.Write(ref _total, _total + interval);
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
