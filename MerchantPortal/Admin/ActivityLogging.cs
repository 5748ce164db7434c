using MerchantPortal.Data;
using MerchantPortal.Data.Activity;

namespace MerchantPortal.Admin;

internal static class ActivityLogging
{
    /// <summary>Adds the entry to the context, so it commits (or not) with the change it describes.</summary>
    public static ActivityEntry LogActivity(this PortalDbContext db, AdminActor actor, string action, string details, DateTime nowUtc) =>
        db.Activity.Add(new ActivityEntry
        {
            At = nowUtc,
            Actor = Truncate(actor.Name, ActivityEntry.ActorMaxLength),
            Action = Truncate(action, ActivityEntry.ActionMaxLength),
            Details = Truncate(details, ActivityEntry.DetailsMaxLength),
        }).Entity;

    /// <summary>
    /// Replaces the details of an entry committed earlier (in another context), so they commit (or not)
    /// with the change they now describe. Returns the entry as it will be stored.
    /// </summary>
    public static ActivityEntry RewriteActivity(this PortalDbContext db, ActivityEntry entry, string details)
    {
        var rewritten = new ActivityEntry { Id = entry.Id, At = entry.At, Actor = entry.Actor, Action = entry.Action, Details = entry.Details };
        db.Activity.Attach(rewritten);
        rewritten.Details = Truncate(details, ActivityEntry.DetailsMaxLength);
        return rewritten;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
