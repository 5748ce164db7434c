using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Data.Orders;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> order)
    {
        // Triggers fill OrderChanges (see the OrderChangeLog migration). Declaring them tells
        // EF not to use statements that some providers refuse on tables with triggers.
        order.ToTable("Orders", table =>
        {
            table.HasTrigger(OrderChangeTriggers.Inserted);
            table.HasTrigger(OrderChangeTriggers.StatusChanged);
        });
        order.Property(o => o.CustomerName).HasMaxLength(Order.CustomerNameMaxLength);
        order.Property(o => o.AcknowledgedBy).HasMaxLength(Order.UserNameMaxLength);
        order.Property(o => o.DecidedBy).HasMaxLength(Order.UserNameMaxLength);
        order.Property(o => o.Currency).HasMaxLength(3).IsFixedLength();
        order.Property(o => o.Total).HasPrecision(18, 2);
        order.Ignore(o => o.DisplayNumber);
        order.Ignore(o => o.IsUnacknowledged);

        order.HasOne(o => o.Merchant).WithMany(m => m.Orders)
            .HasForeignKey(o => o.MerchantId)
            .OnDelete(DeleteBehavior.Restrict);

        order.HasIndex(o => new { o.MerchantId, o.Number }).IsUnique();
        // "How many new orders does merchant X have" is an index-only count.
        order.HasIndex(o => new { o.MerchantId, o.Status });
        // Admin home's "unattended orders": New and unanswered, oldest first, across merchants.
        order.HasIndex(o => new { o.Status, o.AcknowledgedAt, o.CreatedAt });
        // Dashboard's "recent orders" and the default grid sort.
        order.HasIndex(o => new { o.MerchantId, o.CreatedAt });
    }
}
