using MerchantPortal.Data;
using MerchantPortal.Data.Activity;

namespace MerchantPortal.Admin;

internal static class ActivityLogging
{
    /// <summary>Adds the entry to the context, so it commits (or not) with the change it describes.</summary>
    public static void LogActivity(this PortalDbContext db, AdminActor actor, string action, string details, DateTime nowUtc) =>
        db.Activity.Add(new ActivityEntry
        {
            At = nowUtc,
            Actor = Truncate(actor.Name, ActivityEntry.ActorMaxLength),
            Action = Truncate(action, ActivityEntry.ActionMaxLength),
            Details = Truncate(details, ActivityEntry.DetailsMaxLength),
        });

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
