using MerchantPortal.Data.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Data.Alerts;

internal sealed class MerchantPresenceConfiguration : IEntityTypeConfiguration<MerchantPresence>
{
    public void Configure(EntityTypeBuilder<MerchantPresence> builder)
    {
        builder.HasKey(p => new { p.MerchantId, p.NodeName });
        builder.Property(p => p.NodeName).HasMaxLength(NodeHeartbeat.NameMaxLength);
        builder.HasOne<Merchants.Merchant>().WithMany().HasForeignKey(p => p.MerchantId).OnDelete(DeleteBehavior.Cascade);
        // A node clears its own rows at start (after a crash they would claim tabs that are gone).
        builder.HasIndex(p => p.NodeName);
    }
}
