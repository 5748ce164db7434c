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
}
