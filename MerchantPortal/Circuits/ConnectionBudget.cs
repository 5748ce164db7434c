using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Circuits;

/// <summary>
/// Caps the connections this process holds at once below what its open-file limit allows. Without
/// it, the tab that takes the last file descriptor makes the runtime fail to create what it needs
/// next and abort the process ("Out of memory."), and every tab of the node goes with it; with it,
/// that tab is closed at once and retries, and the node keeps serving. Counted in Kestrel's
/// connection middleware, from accept to close, so a WebSocket counts like any other connection
/// (Kestrel's own MaxConcurrentConnections stops counting a connection once it is upgraded).
/// Once the process is stopping it takes no new connection at all: SignalR closes every circuit's
/// connection when stopping begins, and tabs reconnect at once; a connection accepted after that
/// sweep is never closed, so the stop waited the whole shutdown timeout for it (measured: 30 s
/// with 1,000 tabs, BENCHMARKS.md). Closed here, those tabs retry and find the next process.
/// </summary>
public sealed class ConnectionBudget
{
    private readonly RefusedRequests _refused;
    private readonly CancellationToken _stopping;
    private int _open;

    public ConnectionBudget(IOptions<CircuitLimitsOptions> options, RefusedRequests refused, IHostApplicationLifetime lifetime, ILogger<ConnectionBudget> logger)
    {
        _refused = refused;
        _stopping = lifetime.ApplicationStopping;
        var limits = options.Value;
        var fileLimit = OpenFileLimit();
        Max = limits.MaxConnections ?? (fileLimit is { } files ? (int)Math.Clamp(files - limits.ReservedFileDescriptors, 0, int.MaxValue) : null);
        if (Max is 0)
        {
            throw new OptionsValidationException(CircuitLimitsOptions.Section, typeof(CircuitLimitsOptions),
                [$"The open-file limit ({fileLimit}) leaves no connections after Circuits:ReservedFileDescriptors ({limits.ReservedFileDescriptors}); raise the limit (ulimit -n, LimitNOFILE=) or set Circuits:MaxConnections."]);
        }

        logger.LogInformation("Accepting at most {Max} connections at once (open-file limit {Limit}, {Reserved} reserved; Circuits:MaxConnections overrides)",
            Max?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited", fileLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown", limits.ReservedFileDescriptors);
    }

    /// <summary>Connections held at most; null when neither configured nor known from the open-file limit.</summary>
    public int? Max { get; }

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        if (_stopping.IsCancellationRequested)
        {
            connection.Abort();
            return;
        }

        if (Interlocked.Increment(ref _open) > Max)
        {
            Interlocked.Decrement(ref _open);
            _refused.Refused("connection over this node's limit", null,
                $"{Max} connections are open (Circuits:MaxConnections); raise the open-file limit or add a node");
            connection.Abort();
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };

    /// <summary>The soft "Max open files" of this process (Linux), or null where it cannot be read or is unlimited.</summary>
    private static long? OpenFileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var parts = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: > 0 } && long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var soft) ? soft : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
