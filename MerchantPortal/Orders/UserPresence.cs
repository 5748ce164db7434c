using System.ComponentModel.DataAnnotations;
using MerchantPortal.Data;
using MerchantPortal.Data.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Orders;

/// <summary>Settings of "while you were away", section <c>Alerts</c>. Validated at start.</summary>
public sealed class UserPresenceOptions
{
    public const string Section = "Alerts";

    /// <summary>
    /// How often this node writes <see cref="PortalUser.LastLiveAt"/> for every user with a live
    /// tab on it (one statement for all of them). A reload or a new tab lists the orders since
    /// that time, so this is also how far back a digest may reach into orders a still-open tab
    /// already showed. Default 1 minute; 1 second to 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LastLiveInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The users with a live (connected) tab on this node, and the writes of their
/// <see cref="PortalUser.LastLiveAt"/>: all of them in one statement per
/// <see cref="UserPresenceOptions.LastLiveInterval"/> (<see cref="UserPresenceWriter"/>), and one
/// user at once when their last live tab on this node goes down. Never per tab per tick.
/// </summary>
public sealed class UserPresence(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _live = new(StringComparer.Ordinal);

    /// <summary>Users with at least one connected circuit on this node now.</summary>
    public IReadOnlyList<string> LiveUsers
    {
        get
        {
            lock (_gate)
            {
                return [.. _live.Keys];
            }
        }
    }

    internal void Connected(string userId)
    {
        lock (_gate)
        {
            _live[userId] = _live.GetValueOrDefault(userId) + 1;
        }
    }

    /// <summary>True when this was the user's last connected circuit on this node.</summary>
    internal bool Disconnected(string userId)
    {
        lock (_gate)
        {
            var left = _live.GetValueOrDefault(userId) - 1;
            if (left > 0)
            {
                _live[userId] = left;
                return false;
            }

            _live.Remove(userId);
            return true;
        }
    }

    /// <summary>One UPDATE for every user live on this node; returns how many rows it wrote.</summary>
    public async Task<int> WriteLiveUsersAsync(CancellationToken ct = default)
    {
        var users = LiveUsers;
        return users.Count == 0 ? 0 : await WriteAsync(users, clock.GetUtcNow().UtcDateTime, ct);
    }

    /// <summary>Stamps these users as live at <paramref name="nowUtc"/> (never moves a stamp back).</summary>
    public async Task<int> WriteAsync(IReadOnlyCollection<string> userIds, DateTime nowUtc, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users
            .Where(u => userIds.Contains(u.Id) && (u.LastLiveAt == null || u.LastLiveAt < nowUtc))
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.LastLiveAt, nowUtc), ct);
    }
}

/// <summary>The node's timer behind <see cref="UserPresence.WriteLiveUsersAsync"/>.</summary>
internal sealed class UserPresenceWriter(UserPresence presence, IOptions<UserPresenceOptions> options, TimeProvider clock, ILogger<UserPresenceWriter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastLiveInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await presence.WriteLiveUsersAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Could not record which users are live on this node; trying again next interval");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The app is stopping.
        }
    }
}
