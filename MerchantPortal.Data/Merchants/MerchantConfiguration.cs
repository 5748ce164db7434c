using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Data.Merchants;

internal sealed class MerchantConfiguration : IEntityTypeConfiguration<Merchant>
{
    public void Configure(EntityTypeBuilder<Merchant> merchant)
    {
        merchant.Property(m => m.Name).HasMaxLength(Merchant.NameMaxLength);
        merchant.HasIndex(m => m.Name).IsUnique();
        // Two writers numbering orders for the same merchant must not both win.
        merchant.Property(m => m.LastOrderNumber).IsConcurrencyToken();
    }
}
