using MerchantPortal.Components.Theme;
using Microsoft.Extensions.Logging.Abstractions;

namespace MerchantPortal.Tests.Components;

/// <summary>The theme's static stylesheet, rendered by MudBlazor's own provider.</summary>
public sealed class ThemeStylesheetTests
{
    [Fact]
    public async Task LightIsTheDefaultAndDarkAppliesForTheSystemOrTheUsersChoice()
    {
        var stylesheet = new ThemeStylesheet(NullLoggerFactory.Instance);

        var (css, version) = await stylesheet.GetAsync();

        Assert.Matches("^[0-9a-f]{12}$", version);
        var light = css[..css.IndexOf("@media (prefers-color-scheme: dark)", StringComparison.Ordinal)];
        var systemDark = Between(css, ":root:not([data-theme=light]) {", "}");
        var chosenDark = Between(css, ":root[data-theme=dark] {", "}");
        // PortalTheme's light and dark primaries, as MudBlazor writes them.
        Assert.Contains("--mud-palette-primary: rgba(89,74,226,1);", light, StringComparison.Ordinal);
        Assert.Contains("--mud-palette-primary: rgba(168,159,255,1);", systemDark, StringComparison.Ordinal);
        Assert.Equal(systemDark, chosenDark);
        Assert.Contains("color-scheme: dark;", chosenDark, StringComparison.Ordinal);
        // The dark blocks carry only what differs: typography and sizes stay in the light block.
        Assert.Contains("--mud-appbar-height", light, StringComparison.Ordinal);
        Assert.DoesNotContain("--mud-appbar-height", chosenDark, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", css, StringComparison.Ordinal);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }
}
