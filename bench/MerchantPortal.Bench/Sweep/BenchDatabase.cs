using MerchantPortal.Data;
using MerchantPortal.Data.Merchants;
using MerchantPortal.Data.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MerchantPortal.Bench.Sweep;

/// <summary>Why a database could not be prepared; nothing was written.</summary>
public sealed class BenchDatabaseException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record BenchDatabaseResult(int MerchantsAdded, int MerchantsKept, int UsersAdded, int UsersKept, int RolesAdded);

/// <summary>
/// Writes bench merchants and their users straight into a migrated SQLite file or PostgreSQL database, the rows Identity's
/// UserManager would write, minus its per-user password hashing: PBKDF2 runs once and every user shares
/// that hash (the salt lives inside it), so a thousand users take seconds rather than minutes.
/// </summary>
public static class BenchDatabase
{
    private static readonly string[] RequiredTables = ["Merchants", "AspNetUsers", "AspNetRoles", "AspNetUserRoles"];

    /// <summary>
    /// Ensures merchants 1..<paramref name="merchants"/> (<see cref="BenchAccounts"/>) exist, each with one
    /// Merchant-role user signing in with <paramref name="password"/>. Existing bench merchants and users are
    /// kept as they are (a missing Merchant role link is added). One transaction: all of it or nothing.
    /// </summary>
    /// <exception cref="BenchDatabaseException">The file is not a migrated portal database, or a write failed.</exception>
    public static async Task<BenchDatabaseResult> PrepareAsync(string databasePath, int merchants, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(merchants);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(merchants, BenchAccounts.MaxMerchants);
        ArgumentException.ThrowIfNullOrEmpty(password);

        var path = Path.GetFullPath(databasePath);
        await using var db = Open(path);
        return await PrepareAsync(db, path, merchants, password, cancellationToken);
    }

    /// <summary>The same rows in a migrated PostgreSQL database, in one transaction.</summary>
    /// <exception cref="BenchDatabaseException">The database is not a migrated portal database, or a write failed.</exception>
    public static async Task<BenchDatabaseResult> PrepareAsync(NpgsqlConnectionStringBuilder connection, int merchants, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(merchants);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(merchants, BenchAccounts.MaxMerchants);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        var location = $"{connection.Host}:{connection.Port}, database {connection.Database}";
        PortalDataRegistration.Configure(options, new PortalDatabase(DatabaseProvider.PostgreSql, connection.ConnectionString, location));
        await using var db = new PortalDbContext(options.Options);
        return await PrepareAsync(db, location, merchants, password, cancellationToken);
    }

    private static async Task<BenchDatabaseResult> PrepareAsync(PortalDbContext db, string path, int merchants, string password, CancellationToken cancellationToken)
    {
        try
        {
            await CheckSchemaAsync(db, path, cancellationToken);
            // SQLite: BEGIN IMMEDIATE, the write lock is taken now, so a running app cannot slip a write in between.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await AddMissingAsync(db, path, merchants, password, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (Exception ex) when (ex is SqliteException or NpgsqlException or DbUpdateException)
        {
            throw new BenchDatabaseException($"{path}: {ex.GetBaseException().Message}", ex);
        }
    }

    private static PortalDbContext Open(string path)
    {
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            // Never create a file: an empty one would only fail the schema check, and leave litter behind.
            Mode = SqliteOpenMode.ReadWrite,
            DefaultTimeout = 30,
            // The file is closed when the command ends, not parked in a pool.
            Pooling = false,
        };
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDataRegistration.Configure(options, new PortalDatabase(DatabaseProvider.Sqlite, connection.ToString(), path));
        return new PortalDbContext(options.Options);
    }

    private static async Task CheckSchemaAsync(PortalDbContext db, string path, CancellationToken cancellationToken)
    {
        var tables = await (db.Database.IsNpgsql()
                ? db.Database.SqlQuery<string>($"SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema()")
                : db.Database.SqlQuery<string>($"SELECT name AS Value FROM sqlite_master WHERE type = 'table'"))
            .ToListAsync(cancellationToken);
        var missing = RequiredTables.Except(tables, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new BenchDatabaseException(
                $"{path} is not a migrated MerchantPortal database (no table {string.Join(", ", missing)}). " +
                "Start the app on it once (it migrates the schema and creates the roles), stop it, then run prepare-db again.");
        }
    }

    private static async Task<BenchDatabaseResult> AddMissingAsync(
        PortalDbContext db, string path, int count, string password, CancellationToken cancellationToken)
    {
        var normalizer = new UpperInvariantLookupNormalizer();
        var roleName = normalizer.NormalizeName(PortalRoles.Merchant);
        var roleId = await db.Roles.AsNoTracking()
            .Where(r => r.NormalizedName == roleName)
            .Select(r => r.Id)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new BenchDatabaseException(
                $"{path} has no '{PortalRoles.Merchant}' role. The app creates its roles at start-up: start it on this file once, stop it, then run prepare-db again.");

        var merchantIds = await db.Merchants.AsNoTracking()
            .Where(m => m.Name.StartsWith(BenchAccounts.ShopPrefix))
            .Select(m => new { m.Id, m.Name })
            .ToDictionaryAsync(m => m.Name, m => m.Id, StringComparer.Ordinal, cancellationToken);

        // Identity finds users by normalized user name (a unique index) and by normalized e-mail; either counts as taken.
        var domain = "@" + normalizer.NormalizeEmail(BenchAccounts.EmailDomain);
        var existingUsers = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedUserName!.EndsWith(domain) || u.NormalizedEmail!.EndsWith(domain))
            .Select(u => new { u.Id, u.NormalizedUserName, u.NormalizedEmail })
            .ToListAsync(cancellationToken);
        var userIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in existingUsers)
        {
            foreach (var key in new[] { user.NormalizedUserName, user.NormalizedEmail })
            {
                if (key is not null)
                {
                    userIds.TryAdd(key, user.Id);
                }
            }
        }

        var merchantRoleHolders = (await db.UserRoles.AsNoTracking()
            .Where(ur => ur.RoleId == roleId)
            .Select(ur => ur.UserId)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

        // PBKDF2 once (its cost is the point of it); the hash carries its own salt and iteration count.
        var passwordHash = new PasswordHasher<PortalUser>().HashPassword(new PortalUser(), password);
        var createdAt = DateTime.UtcNow;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        int merchantsAdded = 0, usersAdded = 0, rolesAdded = 0;
        for (var index = 1; index <= count; index++)
        {
            var shop = BenchAccounts.ShopName(index);
            Merchant? newMerchant = null;
            if (!merchantIds.TryGetValue(shop, out var merchantId))
            {
                newMerchant = new Merchant { Name = shop, CreatedAt = createdAt };
                db.Merchants.Add(newMerchant);
                merchantsAdded++;
            }

            var email = BenchAccounts.Email(index);
            var normalized = normalizer.NormalizeEmail(email);
            if (userIds.TryGetValue(normalized, out var existingId))
            {
                if (!merchantRoleHolders.Contains(existingId))
                {
                    db.UserRoles.Add(new IdentityUserRole<string> { UserId = existingId, RoleId = roleId });
                    rolesAdded++;
                }

                continue;
            }

            var user = new PortalUser
            {
                Id = Guid.NewGuid().ToString(),
                UserName = email,
                NormalizedUserName = normalizer.NormalizeName(email),
                Email = email,
                NormalizedEmail = normalized,
                EmailConfirmed = true,
                PasswordHash = passwordHash,
                SecurityStamp = Guid.NewGuid().ToString(),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                // The app's Identity options: Lockout.AllowedForNewUsers = true.
                LockoutEnabled = true,
            };
            // A new merchant has no id until it is saved; the navigation lets EF fill in the key.
            if (newMerchant is null)
            {
                user.MerchantId = merchantId;
            }
            else
            {
                user.Merchant = newMerchant;
            }

            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleId });
            usersAdded++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return new BenchDatabaseResult(merchantsAdded, count - merchantsAdded, usersAdded, count - usersAdded, rolesAdded);
    }
}
