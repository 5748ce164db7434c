using Bunit;
using MerchantPortal.Components.Layout;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;

namespace MerchantPortal.Tests.Components;

internal static class LayoutRendering
{
    /// <summary>The app's MainLayout around a one-line page, as the router would render it.</summary>
    public static IRenderedComponent<MainLayout> RenderLayout(this PortalComponentContext ctx)
    {
        // As in a circuit: interactive server rendering.
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return ctx.Render<MainLayout>(parameters => parameters.Add(layout => layout.Body, (RenderFragment)(body => body.AddContent(0, "The page"))));
    }
}
