using System.Globalization;
using System.Security.Claims;
using MerchantPortal.Data;
using MerchantPortal.Data.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Identity;

/// <summary>Adds the merchant id and shop name to the roles and ids Identity already issues.</summary>
public sealed class PortalClaimsPrincipalFactory(
    UserManager<PortalUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, PortalDbContext db)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.MerchantId is { } merchantId)
        {
            var name = await db.Merchants.Where(m => m.Id == merchantId).Select(m => m.Name).SingleAsync();
            identity.AddClaim(new Claim(PortalClaims.MerchantId, merchantId.ToString(CultureInfo.InvariantCulture)));
            identity.AddClaim(new Claim(PortalClaims.MerchantName, name));
        }

        return identity;
    }
}
