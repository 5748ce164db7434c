using MerchantPortal.Alerts;
using MerchantPortal.Data;
using MerchantPortal.Data.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Orders;

/// <summary>
/// The users with a live (connected) tab on this node, and the writes of their
/// <see cref="PortalUser.LastLiveAt"/>: all of them in one statement per
/// <see cref="AlertsOptions.LastLiveInterval"/> (<see cref="UserPresenceWriter"/>), and one
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
internal sealed class UserPresenceWriter(UserPresence presence, IOptions<AlertsOptions> options, TimeProvider clock, ILogger<UserPresenceWriter> logger)
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
