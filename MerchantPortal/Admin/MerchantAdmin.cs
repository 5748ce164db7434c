using MerchantPortal.Data;
using MerchantPortal.Data.Merchants;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Admin;

/// <summary>Create, rename, deactivate and reactivate merchants; each change logged with it.</summary>
public sealed class MerchantAdmin(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Merchant> CreateAsync(string name, AdminActor actor, CancellationToken ct = default)
    {
        var clean = ValidName(name);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EnsureUniqueAsync(db, clean, exceptId: null, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var merchant = new Merchant { Name = clean, CreatedAt = now };
        db.Merchants.Add(merchant);
        db.LogActivity(actor, "Created merchant", clean, now);
        await SaveAsync(db, clean, ct);
        return merchant;
    }

    public async Task RenameAsync(int merchantId, string name, AdminActor actor, CancellationToken ct = default)
    {
        var clean = ValidName(name);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var merchant = await FindAsync(db, merchantId, ct);
        if (merchant.Name == clean)
        {
            return;
        }

        await EnsureUniqueAsync(db, clean, merchantId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        db.LogActivity(actor, "Renamed merchant", $"{merchant.Name} → {clean}", now);
        merchant.Name = clean;
        await SaveAsync(db, clean, ct);
    }

    public async Task SetActiveAsync(int merchantId, bool active, AdminActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var merchant = await FindAsync(db, merchantId, ct);
        if (merchant.IsActive == active)
        {
            return;
        }

        merchant.IsActive = active;
        db.LogActivity(actor, active ? "Reactivated merchant" : "Deactivated merchant", merchant.Name, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
    }

    private static string ValidName(string name) => AdminText.Clean(name, "Merchant name", Merchant.NameMaxLength);

    private static async Task<Merchant> FindAsync(PortalDbContext db, int merchantId, CancellationToken ct) =>
        await db.Merchants.SingleOrDefaultAsync(m => m.Id == merchantId, ct)
        ?? throw new AdminInputException($"Unknown merchant {merchantId}.");

    private static async Task EnsureUniqueAsync(PortalDbContext db, string name, int? exceptId, CancellationToken ct)
    {
        if (await db.Merchants.Where(MerchantNames.Matches(name)).AnyAsync(m => m.Id != exceptId, ct))
        {
            throw new AdminInputException($"A merchant named '{name}' already exists.");
        }
    }

    /// <summary>The unique index still guards a race between two admins.</summary>
    private static async Task SaveAsync(PortalDbContext db, string name, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseWriteErrors.IsUniqueViolation(e))
        {
            throw new AdminInputException($"A merchant named '{name}' already exists.");
        }
    }
}
