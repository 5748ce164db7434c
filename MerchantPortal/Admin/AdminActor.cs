using System.Security.Claims;
using MerchantPortal.Data.Users;

namespace MerchantPortal.Admin;

/// <summary>
/// Who performs an admin action, checked on the server by every admin service: a signed-in
/// admin, or the operator at the command line (who already holds the database).
/// </summary>
public sealed record AdminActor(string Name, string? UserId)
{
    public static AdminActor CommandLine { get; } = new($"command line ({Environment.UserName}@{Environment.MachineName})", null);

    /// <summary>Throws when the user is not an admin: hiding links is not authorization.</summary>
    public static AdminActor From(ClaimsPrincipal user) =>
        user.IsInRole(PortalRoles.Admin)
            ? new AdminActor(user.Identity?.Name ?? "admin", user.FindFirstValue(ClaimTypes.NameIdentifier))
            : throw new UnauthorizedAccessException("Only admins may do this.");
}

/// <summary>A readable reason why an admin action was refused; nothing was written.</summary>
public sealed class AdminInputException(string message) : Exception(message);
