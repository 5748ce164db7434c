using MerchantPortal.Data;
using MudBlazor;

namespace MerchantPortal.Components.Shared;

/// <summary>
/// A merchant's write from a page (acknowledge, accept, reject) that the database refuses
/// (read-only, unreachable) becomes an error toast saying why, instead of an unhandled
/// exception that would end the circuit: the page keeps showing what it reads.
/// </summary>
internal static class RefusedWrites
{
    /// <summary>Runs <paramref name="write"/>; false, with the reason shown, when the database refused it.</summary>
    public static async Task<bool> WriteOrSayWhyAsync(this ISnackbar snackbar, Func<Task> write)
    {
        try
        {
            await write();
            return true;
        }
        catch (Exception ex) when (DatabaseWriteErrors.Describe(ex) is { } reason)
        {
            snackbar.Add(reason, Severity.Error);
            return false;
        }
    }
}
