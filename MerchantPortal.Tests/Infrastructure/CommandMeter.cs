using System.Diagnostics;
using System.Diagnostics.Metrics;
using MerchantPortal.Data;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// Listens to the app's own <c>merchantportal.db.commands</c> counter of one service provider
/// (meters are per IMeterFactory, so parallel tests do not see each other's commands).
/// </summary>
public sealed class CommandMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _bySource = new();
    private long _count;

    public CommandMeter(IServiceProvider services)
    {
        var factory = (IMeterFactory)services.GetService(typeof(IMeterFactory))!;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == DatabaseCommandMetrics.CommandsInstrument && instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            Interlocked.Add(ref _count, value);
            foreach (var tag in tags)
            {
                if (tag.Key == "source")
                {
                    _bySource.AddOrUpdate((string)tag.Value!, value, (_, sum) => sum + value);
                }
            }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Commands counted under this <c>source</c> tag (DatabaseCommandMetrics).</summary>
    public long CountOf(string source) => _bySource.GetValueOrDefault(source);

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        _bySource.Clear();
    }

    public async Task WaitForMoreThanAsync(long count, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (Count <= count)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Only {Count} database commands within {deadline}; expected more than {count}.");
            }

            await Task.Delay(10);
        }
    }

    public void Dispose() => _listener.Dispose();
}
