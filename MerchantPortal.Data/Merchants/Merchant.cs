using MerchantPortal.Data.Orders;

namespace MerchantPortal.Data.Merchants;

/// <summary>A shop that receives orders. Merchant users belong to exactly one.</summary>
public sealed class Merchant
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }

    /// <summary>Unique, shown in the app bar and used by the CLI to pick a merchant.</summary>
    public required string Name { get; set; }

    /// <summary>Inactive merchants keep their data but receive no new orders.</summary>
    public bool IsActive { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    /// <summary>The last order number handed out; the next order gets this plus one.</summary>
    public int LastOrderNumber { get; set; }

    public List<Order> Orders { get; } = [];

    /// <summary>
    /// Hands out the next order number. The entity must be tracked: saving bumps
    /// <see cref="LastOrderNumber"/>, a concurrency token, so two writers cannot both use a number.
    /// </summary>
    public int NextOrderNumber() => ++LastOrderNumber;
}
