using MerchantPortal.Data.Merchants;

namespace MerchantPortal.Data.Orders;

public sealed class Order
{
    public const int CustomerNameMaxLength = 200;

    /// <summary>Identity's own limit for user names and e-mails.</summary>
    public const int UserNameMaxLength = 256;

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

    /// <summary>
    /// UTC; when someone of the merchant first answered the alert (Acknowledge, Accept or Reject).
    /// A New order with none is unacknowledged: the merchant's screens ring for it.
    /// </summary>
    public DateTime? AcknowledgedAt { get; set; }

    /// <summary>Who acknowledged it (the user's e-mail).</summary>
    public string? AcknowledgedBy { get; set; }

    /// <summary>UTC; when one of the merchant's screens first showed the order (written once per order, not per tab).</summary>
    public DateTime? FirstShownAt { get; set; }

    /// <summary>Who accepted or rejected it (the user's e-mail); the time is <see cref="StatusChangedAt"/>.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>New and nobody answered it yet.</summary>
    public bool IsUnacknowledged => Status == OrderStatus.New && AcknowledgedAt is null;

    public string DisplayNumber => $"#{Number}";
}
