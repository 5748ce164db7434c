using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace MerchantPortal.Components.Layout;

/// <summary>
/// A MudBlazor icon (an <c>Icons.Material.*</c> path string) as MudIcon draws it, rendered
/// inline into the caller's tree: the always-on layout shows a dozen icons, and a MudIcon
/// component each would cost every open tab a render tree per icon.
/// </summary>
public static class PortalIcon
{
    public static RenderFragment Svg(string icon, string? extraClass = null) => builder => Render(builder, icon, extraClass);

    private static void Render(RenderTreeBuilder builder, string icon, string? extraClass)
    {
        builder.OpenElement(0, "svg");
        builder.AddAttribute(1, "class", extraClass is null
            ? "mud-icon-root mud-svg-icon mud-icon-size-medium"
            : "mud-icon-root mud-svg-icon mud-icon-size-medium " + extraClass);
        builder.AddAttribute(2, "viewBox", "0 0 24 24");
        builder.AddAttribute(3, "focusable", "false");
        builder.AddAttribute(4, "aria-hidden", "true");
        builder.AddMarkupContent(5, icon);
        builder.CloseElement();
    }
}
