using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Data.Activity;

internal sealed class ActivityEntryConfiguration : IEntityTypeConfiguration<ActivityEntry>
{
    public void Configure(EntityTypeBuilder<ActivityEntry> entry)
    {
        entry.ToTable("Activity");
        entry.Property(e => e.Actor).HasMaxLength(ActivityEntry.ActorMaxLength);
        entry.Property(e => e.Action).HasMaxLength(ActivityEntry.ActionMaxLength);
        entry.Property(e => e.Details).HasMaxLength(ActivityEntry.DetailsMaxLength);
        entry.HasIndex(e => e.At);
    }
}
