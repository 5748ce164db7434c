using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Data.Orders;

internal sealed class OrderChangeConfiguration : IEntityTypeConfiguration<OrderChange>
{
    public void Configure(EntityTypeBuilder<OrderChange> change)
    {
        change.ToTable("OrderChanges");
        change.HasOne(c => c.Order).WithMany()
            .HasForeignKey(c => c.OrderId)
            .OnDelete(DeleteBehavior.Cascade);
        // The poller's query is a primary-key range scan; trimming old rows uses this one.
        change.HasIndex(c => c.ChangedAt);
    }
}
