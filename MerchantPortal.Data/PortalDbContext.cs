using MerchantPortal.Data.Activity;
using MerchantPortal.Data.Alerts;
using MerchantPortal.Data.Merchants;
using MerchantPortal.Data.Nodes;
using MerchantPortal.Data.Orders;
using MerchantPortal.Data.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Data;

/// <summary>
/// Identity tables, the domain (merchants, orders), and what the nodes share (the Data
/// Protection key ring, node heartbeats) in one database.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    public DbSet<Merchant> Merchants => Set<Merchant>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderChange> OrderChanges => Set<OrderChange>();

    public DbSet<ActivityEntry> Activity => Set<ActivityEntry>();

    /// <summary>The key ring every node protects cookies, antiforgery tokens and component state with.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<NodeHeartbeat> NodeHeartbeats => Set<NodeHeartbeat>();

    public DbSet<MerchantPresence> MerchantPresence => Set<MerchantPresence>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);

        // The model's provider differences, all here.
        // Money: PostgreSQL and SQL Server store Total as a native numeric(18,2) / decimal(18,2)
        // (OrderConfiguration's precision); SQLite has no decimal type: EF would store TEXT, which
        // cannot be sorted or compared numerically, so there whole cents in an INTEGER column sort
        // and sum exactly.
        if (Database.IsSqlite())
        {
            builder.Entity<Order>().Property(o => o.Total)
                .HasConversion(v => (long)decimal.Round(v * 100m, MidpointRounding.AwayFromZero), v => v / 100m);
        }

        // The change feed's position on PostgreSQL: the id of the transaction that wrote the change
        // row, filled by the column default inside the writer's own transaction (whoever the writer
        // is), compared with the oldest transaction still running when the poller reads.
        if (Database.IsNpgsql())
        {
            builder.Entity<OrderChange>().Property<long>(OrderChange.TransactionIdColumn)
                .HasDefaultValueSql("pg_current_xact_id()::text::bigint");
            builder.Entity<OrderChange>().HasIndex(OrderChange.TransactionIdColumn);
        }

        // ... and on SQL Server: the row's rowversion, compared with MIN_ACTIVE_ROWVERSION().
        if (Database.IsSqlServer())
        {
            builder.Entity<OrderChange>().Property<byte[]>(OrderChange.VersionColumn).IsRowVersion().IsRequired();
            builder.Entity<OrderChange>().HasIndex(OrderChange.VersionColumn);
        }
    }
}
