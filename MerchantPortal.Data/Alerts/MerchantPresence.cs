namespace MerchantPortal.Data.Alerts;

/// <summary>
/// "Merchant X has at least one live tab on node N": inserted when the merchant's first tab opens
/// on that node and deleted when its last one closes there, never per tab or per interval. A
/// merchant is online while a row of it belongs to a node whose heartbeat is alive, so a node that
/// dies stops counting once its heartbeat times out.
/// </summary>
public sealed class MerchantPresence
{
    public int MerchantId { get; set; }

    /// <summary>The node's name (NodeHeartbeat.Name).</summary>
    public string NodeName { get; set; } = "";

    /// <summary>UTC; when the merchant's first tab on the node opened.</summary>
    public DateTime Since { get; set; }
}
