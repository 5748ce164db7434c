using MudBlazor;

namespace MerchantPortal.Components.Theme;

/// <summary>
/// The portal's MudBlazor theme. MudBlazor's default palette fails WCAG AA contrast in places
/// (white on its warning, success, info and error colours; its dark primary under white text),
/// so the colours that carry text are darker in light mode and lighter, with dark text on
/// them, in dark mode. Every pair used for text is at least 4.5:1.
/// </summary>
public static class PortalTheme
{
    private const string DarkInk = "#1b1b25";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#594ae2",
            Secondary = "#c2185b",
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = "#b45309",
            Error = "#c62828",
            TextSecondary = "rgba(0,0,0,0.6)",
            ActionDefault = "rgba(0,0,0,0.6)",
            DrawerIcon = "rgba(0,0,0,0.6)",
            Background = "#f5f5f7",
            AppbarBackground = "#594ae2",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a89fff",
            PrimaryContrastText = DarkInk,
            Secondary = "#ff80ab",
            SecondaryContrastText = DarkInk,
            Info = "#64b5f6",
            InfoContrastText = DarkInk,
            Success = "#4cca8c",
            SuccessContrastText = DarkInk,
            Warning = "#ffb74d",
            WarningContrastText = DarkInk,
            Error = "#ff8a80",
            ErrorContrastText = DarkInk,
            Background = "#1f1f27",
            BackgroundGray = "#1a1a21",
            Surface = "#2a2a33",
            DrawerBackground = "#1a1a21",
            DrawerText = "rgba(255,255,255,0.8)",
            DrawerIcon = "rgba(255,255,255,0.8)",
            AppbarBackground = "#1a1a21",
            AppbarText = "rgba(255,255,255,0.87)",
            TextPrimary = "rgba(255,255,255,0.87)",
            TextSecondary = "rgba(255,255,255,0.65)",
            ActionDefault = "rgba(255,255,255,0.7)",
        },
    };
}
