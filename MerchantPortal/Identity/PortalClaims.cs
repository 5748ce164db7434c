using System.Globalization;
using System.Security.Claims;

namespace MerchantPortal.Identity;

/// <summary>
/// Claims carried in the (encrypted, signed) auth cookie. The merchant id used to scope every
/// query comes from here, never from anything the browser sends.
/// </summary>
public static class PortalClaims
{
    public const string MerchantId = "merchantportal:merchant_id";
    public const string MerchantName = "merchantportal:merchant_name";

    public static int? GetMerchantId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(MerchantId), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static string? GetMerchantName(this ClaimsPrincipal user) => user.FindFirstValue(MerchantName);

    /// <summary>For merchant-only pages, which [Authorize(Roles = Merchant)] already guards.</summary>
    public static int RequireMerchantId(this ClaimsPrincipal user) =>
        user.GetMerchantId() ?? throw new InvalidOperationException("The signed-in user belongs to no merchant.");
}
