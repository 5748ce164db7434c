using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;

namespace MerchantPortal.Components.Layout;

/// <summary>
/// A MudBlazor icon (an <c>Icons.Material.*</c> path string) drawn as MudIcon draws it, but as
/// one markup frame holding a string built once per process and shared by every circuit: the
/// always-on layout shows a dozen icons, and a MudIcon each (or an svg element with its
/// attributes, six frames kept twice by the renderer's double buffer) would cost every open tab
/// for each icon. The path data is MudBlazor's constant; nothing from a user goes in.
/// </summary>
public static class PortalIcon
{
    private static readonly ConcurrentDictionary<(string Icon, string? Class), MarkupString> Cache = new();

    public static MarkupString Svg(string icon, string? extraClass = null) =>
        Cache.GetOrAdd((icon, extraClass), key => new MarkupString(
            $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-medium{(key.Class is null ? "" : " " + key.Class)}\" " +
            $"viewBox=\"0 0 24 24\" focusable=\"false\" aria-hidden=\"true\">{key.Icon}</svg>"));
}
