using MerchantPortal.Data.Orders;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace MerchantPortal.Components.Shared;

/// <summary>
/// An order's status drawn like a small text MudChip, rendered inline into the caller's tree:
/// lists show one per row, and a MudChip per row would cost every open dashboard a component
/// (and a chip container) each.
/// </summary>
public static class OrderStatusBadge
{
    public static RenderFragment For(OrderStatus status) => builder => Render(builder, status);

    private static void Render(RenderTreeBuilder builder, OrderStatus status)
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", CssClass(status));
        builder.OpenElement(2, "span");
        builder.AddAttribute(3, "class", "mud-chip-content");
        builder.AddContent(4, status.ToString());
        builder.CloseElement();
        builder.CloseElement();
    }

    /// <summary>The same chip as HTML, for rows rendered as one markup string (MerchantDashboard).</summary>
    public static string Html(OrderStatus status) => status switch
    {
        OrderStatus.New => NewHtml,
        OrderStatus.Accepted => AcceptedHtml,
        OrderStatus.Rejected => RejectedHtml,
        _ => CompletedHtml,
    };

    private static readonly string NewHtml = BuildHtml(OrderStatus.New);
    private static readonly string AcceptedHtml = BuildHtml(OrderStatus.Accepted);
    private static readonly string RejectedHtml = BuildHtml(OrderStatus.Rejected);
    private static readonly string CompletedHtml = BuildHtml(OrderStatus.Completed);

    private static string BuildHtml(OrderStatus status) =>
        $"<span class=\"{CssClass(status)}\"><span class=\"mud-chip-content\">{status}</span></span>";

    public static string CssClass(OrderStatus status) => status switch
    {
        OrderStatus.New => "mud-chip mud-chip-text mud-chip-size-small mud-chip-color-warning portal-status",
        OrderStatus.Accepted => "mud-chip mud-chip-text mud-chip-size-small mud-chip-color-info portal-status",
        OrderStatus.Rejected => "mud-chip mud-chip-text mud-chip-size-small mud-chip-color-error portal-status",
        _ => "mud-chip mud-chip-text mud-chip-size-small mud-chip-color-success portal-status",
    };
}
