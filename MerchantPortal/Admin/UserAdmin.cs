using MerchantPortal.Data;
using MerchantPortal.Data.Users;
using MerchantPortal.Setup;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Admin;

public sealed record UserRow(string Id, string Email, string Role, string? Merchant, bool LockedOut);

/// <summary>
/// Merchant users for admins. Each call takes its own scope (UserManager and DbContext), so a
/// long-lived admin circuit never holds one context. Locking, password resets and deletion
/// change the security stamp, which signs the user's open circuits out at the next
/// revalidation (Authentication:RevalidationInterval).
/// </summary>
public sealed class UserAdmin(IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task<List<UserRow>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = clock.GetUtcNow();
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, Merchant = u.Merchant!.Name, u.LockoutEnd })
            .ToListAsync(ct);
        return [.. users.Select(u => new UserRow(u.Id, u.Email ?? "", string.Join(", ", roles.Where(r => r.UserId == u.Id).Select(r => r.Name)),
            u.Merchant, u.LockoutEnd > now))];
    }

    public async Task CreateMerchantUserAsync(string email, string password, string merchantIdOrName, AdminActor actor, CancellationToken ct = default)
    {
        var cleanEmail = email.Trim();
        if (cleanEmail.Length == 0 || !cleanEmail.Contains('@', StringComparison.Ordinal) || AdminText.HasControlCharacters(cleanEmail))
        {
            throw new AdminInputException("A valid e-mail address is required.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var merchant = await scope.ServiceProvider.GetRequiredService<OrderSeeder>().ResolveActiveMerchantAsync(merchantIdOrName, ct);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        // The user, its role and the activity entry commit together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await scope.ServiceProvider.GetRequiredService<AccountSetup>().CreateMerchantUserAsync(cleanEmail, password, merchant.Id);
        }
        catch (AccountSetupException ex)
        {
            throw new AdminInputException(ex.Message);
        }

        db.LogActivity(actor, "Created user", $"{cleanEmail} for {merchant.Name}", clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public Task ResetPasswordAsync(string userId, string newPassword, AdminActor actor) =>
        ChangeAsync(userId, actor, "Reset password", async (users, user) =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            return await users.ResetPasswordAsync(user, token, newPassword);
        });

    public Task LockAsync(string userId, AdminActor actor) =>
        ChangeAsync(userId, actor, "Locked user", async (users, user) =>
        {
            RefuseSelf(userId, actor, "lock");
            await users.SetLockoutEnabledAsync(user, true);
            var locked = await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            return locked.Succeeded ? await users.UpdateSecurityStampAsync(user) : locked;
        });

    public Task UnlockAsync(string userId, AdminActor actor) =>
        ChangeAsync(userId, actor, "Unlocked user", async (users, user) =>
        {
            var unlocked = await users.SetLockoutEndDateAsync(user, null);
            return unlocked.Succeeded ? await users.ResetAccessFailedCountAsync(user) : unlocked;
        });

    public Task DeleteAsync(string userId, AdminActor actor) =>
        ChangeAsync(userId, actor, "Deleted user", async (users, user) =>
        {
            RefuseSelf(userId, actor, "delete");
            await users.UpdateSecurityStampAsync(user);
            return await users.DeleteAsync(user);
        });

    private async Task ChangeAsync(string userId, AdminActor actor, string action, Func<UserManager<PortalUser>, PortalUser, Task<IdentityResult>> change)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new AdminInputException("That user no longer exists.");
        var email = user.Email;
        var result = await change(users, user);
        if (!result.Succeeded)
        {
            throw new AdminInputException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.LogActivity(actor, action, email ?? userId, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();
    }

    private static void RefuseSelf(string userId, AdminActor actor, string verb)
    {
        if (userId == actor.UserId)
        {
            throw new AdminInputException($"You cannot {verb} your own account.");
        }
    }
}
