using System.Diagnostics;
using MerchantPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Identity;

/// <summary>What revalidation needs of a user: the row's stamp and lockout, nothing else.</summary>
public sealed record UserSessionState(string Id, string? SecurityStamp, bool LockoutEnabled, DateTimeOffset? LockoutEnd)
{
    /// <summary>The sign-in is still good: not locked out (as Identity counts it) and issued under the current stamp.</summary>
    public bool Accepts(string? cookieStamp, DateTimeOffset now) =>
        !(LockoutEnabled && LockoutEnd >= now) && cookieStamp == SecurityStamp;
}

/// <summary>
/// The user rows of everyone with an open circuit, read for all of them in one query. Why: every
/// circuit revalidates its user once per interval, so asking the database per circuit costs
/// circuits / interval queries (10,000 dashboards at 1 minute: 167 a second, far more than the
/// order poller), while the answer is the same for every circuit of one user and changes rarely.
/// A check accepts a reading taken at most <c>maxAge</c> before it; one refresh serves every
/// caller waiting on it. Users nobody asked about for three intervals are dropped from the query.
/// </summary>
public sealed class SignedInUsers(IDbContextFactory<PortalDbContext> dbFactory, IOptions<PortalAuthenticationOptions> options)
{
    /// <summary>How long a refresh collects users before it queries; also the extra wait of a fresh check.</summary>
    internal static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _lastAsked = new(StringComparer.Ordinal);
    private Dictionary<string, UserSessionState> _states = new(StringComparer.Ordinal);
    private HashSet<string> _covered = new(StringComparer.Ordinal);
    private long _takenAt = long.MinValue;
    private Task? _refresh;

    /// <summary>How old a reading the circuits' periodic checks accept: a quarter interval, so a lock shows within 1.25 intervals.</summary>
    public TimeSpan PeriodicMaxAge => options.Value.RevalidationInterval / 4;

    /// <summary>Queries issued so far (for tests and diagnostics).</summary>
    public int Refreshes { get; private set; }

    /// <summary>The user's row as of a reading no older than <paramref name="maxAge"/>; null when the user no longer exists.</summary>
    public async Task<UserSessionState?> GetAsync(string userId, TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var asked = Stopwatch.GetTimestamp();
        var oldestAccepted = asked - (long)(maxAge.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Task refresh;
            lock (_gate)
            {
                _lastAsked[userId] = asked;
                if (_takenAt >= oldestAccepted && _covered.Contains(userId))
                {
                    return _states.GetValueOrDefault(userId);
                }

                // A refresh already under way may have started too early or without this user; then the next one.
                refresh = _refresh ??= RefreshAsync();
            }

            await refresh.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A circuit of this user has opened: the next reading includes them. Circuits opened in a
    /// burst (a morning, a deploy) reach their first checks one interval later, spread over as
    /// long as the burst took; users read in advance make that one query instead of one per
    /// batch window.
    /// </summary>
    public void Track(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        lock (_gate)
        {
            _lastAsked[userId] = Stopwatch.GetTimestamp();
        }
    }

    private async Task RefreshAsync()
    {
        // Waiting a moment first lets one query serve every user whose check falls due meanwhile:
        // circuits opened in a burst (a morning, a deploy) bring thousands of users not read yet,
        // and without the wait each of them would start a query of its own.
        await Task.Delay(BatchWindow);
        List<string> ids;
        long startedAt;
        lock (_gate)
        {
            startedAt = Stopwatch.GetTimestamp();
            var forgetBefore = startedAt - (long)(3 * options.Value.RevalidationInterval.TotalSeconds * Stopwatch.Frequency);
            foreach (var stale in _lastAsked.Where(a => a.Value < forgetBefore).Select(a => a.Key).ToList())
            {
                _lastAsked.Remove(stale);
            }

            ids = [.. _lastAsked.Keys];
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var states = await db.Users.AsNoTracking()
                .Where(u => ids.Contains(u.Id))
                .Select(u => new UserSessionState(u.Id, u.SecurityStamp, u.LockoutEnabled, u.LockoutEnd))
                .ToDictionaryAsync(s => s.Id, StringComparer.Ordinal);
            lock (_gate)
            {
                _states = states;
                _covered = [.. ids];
                _takenAt = startedAt;
                Refreshes++;
            }
        }
        finally
        {
            lock (_gate)
            {
                _refresh = null;
            }
        }
    }
}
