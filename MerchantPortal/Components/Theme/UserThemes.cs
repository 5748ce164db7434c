using MerchantPortal.Data;
using MerchantPortal.Data.Users;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Components.Theme;

/// <summary>
/// The user's stored theme choice: written by the app bar's toggle, read by App.razor on every
/// full page load so any browser the user signs in to opens in that theme (no flash: the
/// attribute is in the first HTML). The browser's own preference rules until a choice is stored.
/// </summary>
public static class UserThemes
{
    public static async Task<ThemeChoice> ReadAsync(IDbContextFactory<PortalDbContext> dbFactory, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.Theme).FirstOrDefaultAsync(ct);
    }

    public static async Task SaveAsync(IDbContextFactory<PortalDbContext> dbFactory, string userId, ThemeChoice choice)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.Theme, choice));
    }

    /// <summary>The value of html's data-theme attribute; none (null) follows the system.</summary>
    public static string? HtmlAttribute(ThemeChoice choice) => choice switch
    {
        ThemeChoice.Light => "light",
        ThemeChoice.Dark => "dark",
        _ => null,
    };

    /// <summary>What the browser reports after toggling; anything but "light" or "dark" is refused.</summary>
    public static ThemeChoice? FromBrowser(string? value) => value switch
    {
        "light" => ThemeChoice.Light,
        "dark" => ThemeChoice.Dark,
        _ => null,
    };
}
