using System.Collections.Concurrent;

namespace MerchantPortal.Circuits;

/// <summary>
/// The one place that logs a request the server refused because no honest page sends it (another
/// merchant's order, a value that was never an option, a circuit over the per-user cap). A client
/// that repeats it hundreds of times a second must not turn the log into its megaphone: per user
/// and kind of refusal one warning per <see cref="Window"/>, the next one saying how many were
/// refused silently meanwhile. Nothing per circuit: a small dictionary keyed by user and kind.
/// </summary>
public sealed class RefusedRequests(ILogger<RefusedRequests> logger, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Entries kept before stale ones are swept; honest use leaves it empty.</summary>
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<(string User, string Kind), Entry> _entries = new();

    /// <summary>Refusals seen so far, logged or not (tests and support).</summary>
    public long Count => Interlocked.Read(ref _count);

    private long _count;

    /// <summary>Counts a refusal and logs it unless this user's same refusal was logged within the window.</summary>
    public void Refused(string kind, string? user, string detail)
    {
        Interlocked.Increment(ref _count);
        var now = clock.GetUtcNow();
        var key = (user ?? "(anonymous)", kind);
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        int silenced;
        lock (entry)
        {
            if (entry.LoggedAt is { } at && now - at < Window)
            {
                entry.Silenced++;
                return;
            }

            silenced = entry.Silenced;
            entry.Silenced = 0;
            entry.LoggedAt = now;
        }

        logger.LogWarning(
            "Refused {Kind} from user {User}: {Detail} ({Silenced} more of these refused without a log line since the last one; at most one line a minute per user and kind)",
            kind, key.Item1, detail, silenced);
        if (_entries.Count > SweepAbove)
        {
            Sweep(now);
        }
    }

    /// <summary>What a log line quotes of a value the client sent: at most 40 characters, never a megabyte.</summary>
    public static string Shorten(string? value) => value is null ? "(null)" : value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.LoggedAt is { } at && now - at >= Window)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset? LoggedAt { get; set; }

        public int Silenced { get; set; }
    }
}
