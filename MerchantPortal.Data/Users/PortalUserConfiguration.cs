using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Data.Users;

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> user) =>
        user.HasOne(u => u.Merchant).WithMany()
            .HasForeignKey(u => u.MerchantId)
            .OnDelete(DeleteBehavior.Restrict);
}
