using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace MerchantPortal.Bench.Probe;

/// <summary>A managed heap size in bytes, or why it could not be read.</summary>
public readonly record struct ManagedHeapReading(long? Bytes, string? Unavailable)
{
    public static ManagedHeapReading Failed(string reason) => new(null, reason);
}

/// <summary>
/// Reads another .NET process's managed heap size right after a blocking full GC, through its diagnostic port.
/// Why EventPipe with the GCHeapCollect keyword: enabling that keyword makes the runtime itself run a blocking
/// gen2 GC, and the GCHeapStats event that ends that GC carries every generation's size, so one session both
/// induces the collection and reports what survived it. The app needs no code, endpoint or restart for this,
/// and the figure is the same one the performance target is stated in (managed heap after a full GC), which
/// /proc RSS is not. GCHeapCollect alone forces the GC without the (expensive) heap walk of a gcdump.
/// </summary>
public static class ManagedHeapReader
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    public static async Task<ManagedHeapReading> ReadAfterFullGcAsync(int pid, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        EventPipeSession session;
        try
        {
            var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
            session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(
                new EventPipeProvider(RuntimeProvider, EventLevel.Informational, keywords),
                requestRundown: false, circularBufferMB: 16, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return ManagedHeapReading.Failed($"the diagnostic port did not answer within {timeout.TotalSeconds:F0} s");
        }
        catch (Exception e) when (e is DiagnosticsClientException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            // The client's messages go on with troubleshooting advice; the first sentence is the reason.
            var reason = e.Message.Split(". ", 2)[0];
            return ManagedHeapReading.Failed($"diagnostic port of pid {pid}: {e.GetType().Name}: {reason}");
        }

        // TraceEvent reads the stream synchronously (header included) and only notices a stop request when
        // more data arrives, so it runs on its own thread and the answer comes back through a promise.
        var answer = new TaskCompletionSource<ManagedHeapReading>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(() => ReadFullGcStats(session, answer));
        try
        {
            return await answer.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return ManagedHeapReading.Failed($"no full-GC heap statistics within {timeout.TotalSeconds:F0} s");
        }
        finally
        {
            // Ending the session closes the stream, which is what lets the reading thread return.
            await StopAsync(session);
            session.Dispose();
            await Task.WhenAny(reading, Task.Delay(StopTimeout));
        }
    }

    private static void ReadFullGcStats(EventPipeSession session, TaskCompletionSource<ManagedHeapReading> answer)
    {
        try
        {
            using var source = new EventPipeEventSource(session.EventStream);
            var fullGcRunning = false;
            source.Clr.GCStart += e => fullGcRunning |= e.Depth == 2 && e.Type == GCType.NonConcurrentGC;
            source.Clr.GCHeapStats += e =>
            {
                // Statistics of a gen0/gen1 or background GC that happened to be under way are not "after a full GC".
                if (fullGcRunning)
                {
                    // Generations 0-2, then the large object heap (3) and the pinned object heap (4).
                    answer.TrySetResult(new ManagedHeapReading(
                        e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4, null));
                }
            };
            source.Process();
            answer.TrySetResult(ManagedHeapReading.Failed("the event stream ended before a full GC was reported"));
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or InvalidOperationException or FormatException)
        {
            answer.TrySetResult(ManagedHeapReading.Failed($"event stream: {e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>Stop is a blocking IPC round trip; a runtime that does not answer must not hold the probe up.</summary>
    private static async Task StopAsync(EventPipeSession session)
    {
        try
        {
            await Task.Run(session.Stop).WaitAsync(StopTimeout);
        }
        catch (Exception e) when (e is DiagnosticsClientException or IOException or TimeoutException or ObjectDisposedException)
        {
            // The figure, or the reason there is none, is already known; a session the runtime ended needs no stop.
        }
    }
}
