namespace MerchantPortal.Data.Activity;

/// <summary>Who changed what and when: one row per admin or command-line action.</summary>
public sealed class ActivityEntry
{
    public const int ActorMaxLength = 256;
    public const int ActionMaxLength = 64;
    public const int DetailsMaxLength = 1000;

    public long Id { get; set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; set; }

    /// <summary>The signed-in admin's e-mail, or "command line (user@host)".</summary>
    public required string Actor { get; set; }

    /// <summary>Short verb phrase, e.g. "Seeded orders", "Locked user".</summary>
    public required string Action { get; set; }

    public required string Details { get; set; }
}
