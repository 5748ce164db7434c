using MerchantPortal.Data.Orders;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace MerchantPortal.Components.Shared;

/// <summary>
/// An order's status as a Radzen-styled badge, rendered inline into the caller's tree. Lists
/// show one per row, and a component per row would cost every open dashboard a render tree each.
/// </summary>
public static class OrderStatusBadge
{
    public static RenderFragment For(OrderStatus status) => builder => Render(builder, status);

    private static void Render(RenderTreeBuilder builder, OrderStatus status)
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", CssClass(status));
        builder.AddContent(2, status.ToString());
        builder.CloseElement();
    }

    public static string CssClass(OrderStatus status) => status switch
    {
        OrderStatus.New => "rz-badge rz-badge-warning rz-variant-flat rz-shade-lighter",
        OrderStatus.Accepted => "rz-badge rz-badge-info rz-variant-flat rz-shade-lighter",
        OrderStatus.Rejected => "rz-badge rz-badge-danger rz-variant-flat rz-shade-lighter",
        _ => "rz-badge rz-badge-success rz-variant-flat rz-shade-lighter",
    };
}
