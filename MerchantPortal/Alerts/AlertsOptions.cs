using System.ComponentModel.DataAnnotations;

namespace MerchantPortal.Alerts;

/// <summary>Settings of the new-order alerts, section <c>Alerts</c>. Validated at start.</summary>
public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>
    /// A New order nobody of its merchant acknowledged for this long is listed on the admin's home
    /// page as unattended. Default 5 minutes; 1 second (tests, demos) to 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan UnattendedAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often this node writes <c>PortalUser.LastLiveAt</c> for every user with a live tab on
    /// it (one statement for all of them). A reload or a new tab lists the orders since that
    /// time, so this is also how far back a digest may reach into orders a still-open tab
    /// already showed. Default 1 minute; 1 second to 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LastLiveInterval { get; set; } = TimeSpan.FromMinutes(1);
}
