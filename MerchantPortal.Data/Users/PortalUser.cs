using MerchantPortal.Data.Merchants;
using Microsoft.AspNetCore.Identity;

namespace MerchantPortal.Data.Users;

/// <summary>
/// A sign-in. Admins have no merchant; a merchant user belongs to exactly one merchant,
/// and every merchant query is scoped by that id on the server.
/// </summary>
public sealed class PortalUser : IdentityUser
{
    public int? MerchantId { get; set; }

    public Merchant? Merchant { get; set; }

    /// <summary>Play a chime with new-order toasts; remembered per user, off by default.</summary>
    public bool SoundAlerts { get; set; }

    /// <summary>Light or dark theme; remembered per user, follows the system until picked.</summary>
    public ThemeChoice Theme { get; set; }

    /// <summary>
    /// Seconds between chimes while an order is unacknowledged: 0 (ring once), 15, 30 or 60.
    /// Default 30.
    /// </summary>
    public int AlertRepeatSeconds { get; set; } = 30;

    /// <summary>Show a browser notification for new orders while the tab is hidden; off by default.</summary>
    public bool AlertNotifications { get; set; }

    /// <summary>
    /// UTC; the last time this user had a live tab, written at most about once a minute while
    /// connected: "while you were away" lists the orders created after it.
    /// </summary>
    public DateTime? LastLiveAt { get; set; }

    /// <summary>UTC; the away digest was dismissed for orders created up to this time.</summary>
    public DateTime? AwayDismissedUpTo { get; set; }
}
