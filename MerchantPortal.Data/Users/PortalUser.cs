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
}
