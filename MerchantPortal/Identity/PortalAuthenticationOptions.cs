using System.ComponentModel.DataAnnotations;

namespace MerchantPortal.Identity;

/// <summary>Section <c>Authentication</c>.</summary>
public sealed class PortalAuthenticationOptions
{
    public const string Section = "Authentication";

    /// <summary>
    /// How often open circuits (and cookie-authenticated requests) re-check their user: a locked,
    /// deleted or password-reset user loses the session within about 1.25 times this (circuits
    /// accept a user reading up to a quarter interval old; see SignedInUsers). Default 1 minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);
}
