namespace MerchantPortal.Nodes;

/// <summary>This process's node name (<see cref="NodeOptions.Name"/>, resolved once at start).</summary>
public sealed class NodeIdentity(string name)
{
    /// <summary>The response header naming the node that answered (support, and tests of the load balancer's stickiness).</summary>
    public const string Header = "X-Portal-Node";

    public string Name { get; } = name;

    public override string ToString() => Name;
}
