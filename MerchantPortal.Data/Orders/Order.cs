using MerchantPortal.Data.Merchants;

namespace MerchantPortal.Data.Orders;

public sealed class Order
{
    public const int CustomerNameMaxLength = 200;

    public long Id { get; set; }

    public int MerchantId { get; set; }

    public Merchant? Merchant { get; set; }

    /// <summary>Human-readable number, unique within its merchant (shown as "#1042").</summary>
    public int Number { get; set; }

    public required string CustomerName { get; set; }

    /// <summary>Order total in <see cref="Currency"/>, two decimal places.</summary>
    public decimal Total { get; set; }

    /// <summary>ISO 4217 code, e.g. "EUR".</summary>
    public required string Currency { get; set; }

    public int ItemCount { get; set; }

    public OrderStatus Status { get; set; }

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC; equals <see cref="CreatedAt"/> until the status first changes.</summary>
    public DateTime StatusChangedAt { get; set; }

    public string DisplayNumber => $"#{Number}";
}
