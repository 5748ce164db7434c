namespace MerchantPortal.Data.Nodes;

/// <summary>
/// One row per app node, rewritten by that node every few seconds (NodeHeartbeatService) — never
/// per circuit — so the admin's Nodes view shows every node on the shared database, including
/// the ones it does not run on. Times are UTC, from the writing node's clock.
/// </summary>
public sealed class NodeHeartbeat
{
    public const int NameMaxLength = 100;

    /// <summary>The node's name (Node:Name): the key, so a restarted node takes over its row.</summary>
    public string Name { get; set; } = "";

    public DateTime StartedAt { get; set; }

    /// <summary>When the node last wrote this row; older than Node:GoneAfter means the node is gone.</summary>
    public DateTime LastSeenAt { get; set; }

    /// <summary>Set when the node stopped cleanly; null while it runs (or after it crashed).</summary>
    public DateTime? StoppedAt { get; set; }

    /// <summary>When the node's change poller last succeeded (null before its first poll).</summary>
    public DateTime? LastPolledAt { get; set; }

    /// <summary>
    /// How far the node's view of the orders trailed the database when it wrote the row: the time
    /// since its last successful poll. About one poll interval when healthy; it grows while polls fail.
    /// </summary>
    public long? PollLagMilliseconds { get; set; }

    /// <summary>Blazor circuits open on the node (every signed-in tab, merchants and admins).</summary>
    public int OpenCircuits { get; set; }
}
