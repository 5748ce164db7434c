using MerchantPortal.Data;
using MerchantPortal.Data.Users;
using Microsoft.AspNetCore.Identity;

namespace MerchantPortal.Setup;

/// <summary>A readable reason why an account could not be created; nothing was written.</summary>
public sealed class AccountSetupException(string message, bool isDuplicate = false) : Exception(message)
{
    /// <summary>Refused only because the role, user name or e-mail exists, e.g. created by another node meanwhile.</summary>
    public bool IsDuplicate { get; } = isDuplicate;
}

/// <summary>
/// Creates roles and users for start-up, the command line and (later) the admin pages, so all
/// of them apply Identity's password and e-mail rules the same way.
/// </summary>
public sealed class AccountSetup(
    UserManager<PortalUser> users, RoleManager<IdentityRole> roles, PortalDbContext db, ILogger<AccountSetup> logger)
{
    public const string BootstrapEmailKey = "Bootstrap:AdminEmail";
    public const string BootstrapPasswordKey = "Bootstrap:AdminPassword";

    public async Task EnsureRolesAsync()
    {
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");
            }
        }
    }

    public Task<PortalUser> CreateAdminAsync(string email, string password) =>
        CreateUserAsync(email, password, PortalRoles.Admin, merchantId: null);

    public Task<PortalUser> CreateMerchantUserAsync(string email, string password, int merchantId) =>
        CreateUserAsync(email, password, PortalRoles.Merchant, merchantId);

    /// <summary>
    /// Outside Development there is no default password: the first admin comes from
    /// configuration or from the create-admin command.
    /// </summary>
    public async Task EnsureBootstrapAdminAsync(IConfiguration configuration)
    {
        var email = configuration[BootstrapEmailKey];
        if (string.IsNullOrWhiteSpace(email))
        {
            if ((await users.GetUsersInRoleAsync(PortalRoles.Admin)).Count == 0)
            {
                logger.LogWarning(
                    "No admin account exists. Set {EmailKey} and {PasswordKey}, or run: dotnet run --project MerchantPortal -- create-admin --email <email> --password <password>",
                    BootstrapEmailKey, BootstrapPasswordKey);
            }

            return;
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }

        var password = configuration[BootstrapPasswordKey];
        if (string.IsNullOrEmpty(password))
        {
            throw new AccountSetupException($"{BootstrapEmailKey} is set but {BootstrapPasswordKey} is empty.");
        }

        await CreateAdminAsync(email, password);
        logger.LogInformation("Created bootstrap admin {Email}", email);
    }

    private async Task<PortalUser> CreateUserAsync(string email, string password, string role, int? merchantId)
    {
        email = email.Trim();
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new AccountSetupException($"A user with e-mail {email} already exists.", isDuplicate: true);
        }

        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, MerchantId = merchantId };
        // The user and its role are one unit: a user without a role could sign in to nothing.
        // Identity's stores share this scoped context, so its transaction covers both calls; a
        // caller's transaction (UserAdmin's, which adds the activity entry) covers them instead.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync() : null;
        Check(await users.CreateAsync(user, password), $"create user {email}");
        Check(await users.AddToRoleAsync(user, role), $"add {email} to role {role}");
        if (transaction is not null)
        {
            await transaction.CommitAsync();
        }
        return user;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new AccountSetupException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}",
                isDuplicate: result.Errors.All(e => e.Code.StartsWith("Duplicate", StringComparison.Ordinal)));
        }
    }
}
