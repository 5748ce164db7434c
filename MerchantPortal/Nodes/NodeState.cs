using MerchantPortal.Data.Nodes;

namespace MerchantPortal.Nodes;

public enum NodeState
{
    Alive,

    /// <summary>Stopped cleanly (it said so on the way out).</summary>
    Stopped,

    /// <summary>No heartbeat for longer than Node:GoneAfter: crashed, killed or cut off from the database.</summary>
    Gone,
}

/// <summary>One node as the admin's Nodes view shows it.</summary>
public sealed record NodeStatus(NodeHeartbeat Heartbeat, NodeState State, TimeSpan SinceHeartbeat)
{
    public static NodeStatus From(NodeHeartbeat heartbeat, DateTime nowUtc, TimeSpan goneAfter)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var since = nowUtc - heartbeat.LastSeenAt;
        var state = heartbeat.StoppedAt is not null ? NodeState.Stopped
            : since > goneAfter ? NodeState.Gone
            : NodeState.Alive;
        return new NodeStatus(heartbeat, state, since < TimeSpan.Zero ? TimeSpan.Zero : since);
    }
}
