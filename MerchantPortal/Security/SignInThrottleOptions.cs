using System.ComponentModel.DataAnnotations;

namespace MerchantPortal.Security;

/// <summary>
/// How many sign-in attempts go ahead per client address and per account name (section
/// "SignInThrottle"). Each is a token bucket: <see cref="PerAddress"/> attempts at once, then one
/// more every Window / PerAddress, so a steady attacker gets PerAddress attempts per Window.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignInThrottle";

    /// <summary>Attempts per window from one client address (an office behind one NAT shares it).</summary>
    [Range(1, 1_000_000)]
    public int PerAddress { get; set; } = 30;

    /// <summary>Attempts per window for one account name, from any address; above the lockout's 5 so a user's own typos meet the lockout's message first.</summary>
    [Range(1, 1_000_000)]
    public int PerAccount { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
