using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Breaks another .NET process's managed heap down by type, the part of a gcdump that answers "what is the heap
/// made of" (no retention graph). Why the GCHeapSnapshot keywords: they make the runtime run a blocking gen2 GC
/// and, inside it, walk every live object and report it (address, size, type id) in GCBulkNode events, with the
/// type ids named by GCBulkType events. The target needs no code or restart; it is paused for the walk, which on
/// a heap of hundreds of MiB takes seconds, so this is a measuring tool, not something to run under load.
/// </summary>
public static class HeapTypeSnapshot
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    // The walk's events are produced while the target is paused and far faster than they are read; the session's
    // buffer must hold what the reader is behind by, or events are dropped (reported as EventsLost).
    private const int BufferMB = 512;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    public static async Task<HeapTypesReading> TakeAsync(int pid, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        EventPipeSession session;
        try
        {
            session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(
                new EventPipeProvider(RuntimeProvider, EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GCHeapSnapshot),
                requestRundown: false, circularBufferMB: BufferMB, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return HeapTypesReading.Failed($"the diagnostic port did not answer within {timeout.TotalSeconds:F0} s");
        }
        catch (Exception e) when (e is DiagnosticsClientException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            // The client's messages go on with troubleshooting advice; the first sentence is the reason.
            var reason = e.Message.Split(". ", 2)[0];
            return HeapTypesReading.Failed($"diagnostic port of pid {pid}: {e.GetType().Name}: {reason}");
        }

        // The stream is read synchronously on its own thread (see ManagedHeapReader). The walk happens inside one
        // GC, so that GC's end says the runtime has written everything; stopping the session then makes it flush
        // and close the stream, and reading to the end collects what was still buffered (type names come in
        // batches and can trail the last objects).
        var walked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(() => Collect(session, pid, walked));
        var stopped = false;
        try
        {
            await Task.WhenAny(walked.Task, reading).WaitAsync(deadline.Token);
            if (!walked.Task.IsCompleted)
            {
                return await reading;
            }

            await StopAsync(session);
            stopped = true;
            return await reading.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return HeapTypesReading.Failed(walked.Task.IsCompleted
                ? $"the heap walk was not fully read within {timeout.TotalSeconds:F0} s"
                : $"no full GC with a heap walk within {timeout.TotalSeconds:F0} s");
        }
        finally
        {
            if (!stopped)
            {
                await StopAsync(session);
            }

            // Ending the session closes the stream, which is what lets the reading thread return.
            session.Dispose();
            await Task.WhenAny(reading, Task.Delay(StopTimeout));
        }
    }

    private static HeapTypesReading Collect(EventPipeSession session, int pid, TaskCompletionSource walked)
    {
        try
        {
            using var source = new EventPipeEventSource(session.EventStream);
            var walk = new HeapWalkTally();
            source.Clr.GCStart += e => walk.GcStarted(e.Count);
            source.Clr.GCHeapStats += e => walk.HeapStats(
                e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4);
            source.Clr.TypeBulkType += e =>
            {
                for (var i = 0; i < e.Count; i++)
                {
                    var type = e.Values(i);
                    walk.Name(type.TypeID, type.TypeName);
                }
            };
            source.Clr.GCBulkNode += e =>
            {
                for (var i = 0; i < e.Count; i++)
                {
                    var node = e.Values(i);
                    walk.Node(node.TypeID, (long)node.Size);
                }
            };
            source.Clr.GCStop += e =>
            {
                if (walk.GcEnded(e.Count))
                {
                    walked.TrySetResult();
                }
            };
            source.Process();
            return walk.Finished
                ? new HeapTypesReading(walk.ToHeapTypes(pid, DateTimeOffset.UtcNow, source.EventsLost), null)
                : HeapTypesReading.Failed("the event stream ended before a GC with a heap walk finished");
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or InvalidOperationException or FormatException)
        {
            return HeapTypesReading.Failed($"event stream: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Stop is a blocking IPC round trip; a runtime that does not answer must not hold the tool up.</summary>
    private static async Task StopAsync(EventPipeSession session)
    {
        try
        {
            await Task.Run(session.Stop).WaitAsync(StopTimeout);
        }
        catch (Exception e) when (e is DiagnosticsClientException or IOException or TimeoutException or ObjectDisposedException)
        {
            // A session the runtime already ended needs no stop; what was read so far decides the answer.
        }
    }
}
