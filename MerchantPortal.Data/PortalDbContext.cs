using MerchantPortal.Data.Activity;
using MerchantPortal.Data.Merchants;
using MerchantPortal.Data.Orders;
using MerchantPortal.Data.Users;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Data;

/// <summary>Identity tables and the domain (merchants, orders) in one database.</summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<PortalUser>(options)
{
    public DbSet<Merchant> Merchants => Set<Merchant>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderChange> OrderChanges => Set<OrderChange>();

    public DbSet<ActivityEntry> Activity => Set<ActivityEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);

        // The model's only provider difference. PostgreSQL and SQL Server store Total as a native
        // numeric(18,2) / decimal(18,2) (OrderConfiguration's precision); SQLite has no decimal
        // type: EF would store TEXT, which cannot be sorted or compared numerically, so there
        // whole cents in an INTEGER column sort and sum exactly.
        if (Database.IsSqlite())
        {
            builder.Entity<Order>().Property(o => o.Total)
                .HasConversion(v => (long)decimal.Round(v * 100m, MidpointRounding.AwayFromZero), v => v / 100m);
        }
    }
}
