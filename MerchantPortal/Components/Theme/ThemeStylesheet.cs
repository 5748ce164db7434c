using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace MerchantPortal.Components.Theme;

/// <summary>
/// The theme's CSS, light and dark, served once as a cacheable stylesheet instead of a
/// MudThemeProvider in every circuit (a provider costs an idle circuit ~33 KiB; this costs it
/// nothing). MudBlazor writes the CSS itself: its provider is rendered statically, once per
/// process, for each palette, and the two outputs are combined so that the dark variables
/// apply when the system prefers dark and the user chose nothing (no data-theme on html),
/// or when the user chose dark (html data-theme="dark"); light is the default otherwise.
/// </summary>
public sealed partial class ThemeStylesheet(ILoggerFactory loggers)
{
    public const string Path = "/theme.css";

    private readonly Lazy<Task<Rendered>> _rendered = new(() => RenderAsync(loggers));

    /// <summary>The CSS and a short hash of it: the link's version, so browsers may cache it for good.</summary>
    public sealed record Rendered(string Css, string Version);

    public Task<Rendered> GetAsync() => _rendered.Value;

    private static async Task<Rendered> RenderAsync(ILoggerFactory loggers)
    {
        // Its own tiny container: the provider needs a logger and a JS runtime, and there is no
        // browser here (it would only use JS to watch the system's dark mode).
        await using var services = new ServiceCollection()
            .AddSingleton(loggers)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddSingleton<IJSRuntime, NoBrowser>()
            .BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, loggers);
        var light = await RenderProviderAsync(renderer, dark: false);
        var dark = await RenderProviderAsync(renderer, dark: true);
        var css = Combine(light, dark);
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(css)))[..12];
        return new Rendered(css, version);
    }

    private static Task<string> RenderProviderAsync(HtmlRenderer renderer, bool dark) =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = PortalTheme.Theme,
                [nameof(MudThemeProvider.IsDarkMode)] = dark,
                // The browser's own scrollbars follow color-scheme in both modes.
                [nameof(MudThemeProvider.DefaultScrollbar)] = true,
            });
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(parameters);
            return output.ToHtmlString();
        });

    /// <summary>
    /// Light: everything the provider writes. Dark: only the custom properties whose value
    /// differs, under the two selectors that mean "dark".
    /// </summary>
    internal static string Combine(string lightHtml, string darkHtml)
    {
        var lightVariables = Variables(lightHtml);
        var darkOnly = Variables(darkHtml).Where(v => !lightVariables.TryGetValue(v.Key, out var value) || value != v.Value).ToList();
        if (darkOnly.Count == 0)
        {
            throw new InvalidOperationException("MudThemeProvider wrote the same variables for light and dark: its output format changed.");
        }

        var darkBlock = new StringBuilder();
        darkBlock.Append("color-scheme: dark;\n");
        foreach (var (name, value) in darkOnly)
        {
            darkBlock.Append(name).Append(": ").Append(value).Append(";\n");
        }

        var css = new StringBuilder();
        css.Append("/* MudBlazor theme (MerchantPortal.Components.Theme.PortalTheme), rendered by MudThemeProvider. */\n");
        css.Append(StyleTag().Replace(lightHtml, "")).Append('\n');
        css.Append(":root { color-scheme: light; }\n");
        css.Append("@media (prefers-color-scheme: dark) {\n:root:not([data-theme=light]) {\n").Append(darkBlock).Append("}\n}\n");
        css.Append(":root[data-theme=dark] {\n").Append(darkBlock).Append("}\n");
        return css.ToString();
    }

    private static Dictionary<string, string> Variables(string html)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Variable().Matches(html))
        {
            variables[match.Groups["name"].Value] = match.Groups["value"].Value.Trim();
        }

        return variables;
    }

    private sealed class NoBrowser : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            throw new JSDisconnectedException("Static rendering: there is no browser.");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            throw new JSDisconnectedException("Static rendering: there is no browser.");
    }

    [GeneratedRegex(@"</?style[^>]*>")]
    private static partial Regex StyleTag();

    [GeneratedRegex(@"(?<name>--mud-[a-z0-9-]+)\s*:\s*(?<value>[^;{}]+);")]
    private static partial Regex Variable();
}
