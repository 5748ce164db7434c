using System.Globalization;
using MerchantPortal.Orders;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace MerchantPortal.Components.Shared;

/// <summary>
/// Toasts for new orders, as MudBlazor snackbars (ISnackbar; the layout's MudSnackbarProvider
/// shows them, each role="alert" aria-live="polite" so screen readers announce it), and the
/// chime. Not a component of its own: the badge, which already follows the merchant's live
/// orders in every tab, raises them (a component costs every open tab ~2.3 KiB).
/// </summary>
public static class OrderToasts
{
    /// <summary>More new orders than this in one poll make one summary toast instead of a flood.</summary>
    public const int SummaryThreshold = 3;

    private const int ToastMilliseconds = 8000;

    /// <summary>The key of the one "more new orders" toast a tab has while its stack is full.</summary>
    internal const string OverflowKey = "order-toasts-overflow";

    /// <summary>
    /// Raises the toasts. The chime is not played here: the alarm bar rings, in one tab per
    /// browser (js/alarm.js). With <paramref name="acknowledgements"/>, each single-order toast
    /// carries an Acknowledge button.
    /// </summary>
    public static Task ShowAsync(OrderNotification notification, ISnackbar snackbar, NavigationManager navigation, OrderAcknowledgements? acknowledgements = null)
    {
        var created = notification.Created.ToList();
        if (created.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (created.Count > SummaryThreshold)
        {
            if (!Overflowed(snackbar, navigation))
            {
                Toast(snackbar, navigation, $"{created.Count.ToString(CultureInfo.InvariantCulture)} new orders", detail: null, "orders", acknowledge: null);
            }
        }
        else
        {
            foreach (var order in created)
            {
                if (Overflowed(snackbar, navigation))
                {
                    break;
                }

                Toast(snackbar, navigation, $"New order {order.DisplayNumber}",
                      string.Create(CultureInfo.InvariantCulture, $"{order.CustomerName} · {order.Total:0.00} {order.Currency}"),
                      $"orders/{order.OrderId}", acknowledgements is null ? null : () => acknowledgements.AcknowledgeAsync(order.OrderId));
            }
        }

        return Task.CompletedTask;
    }

    // With the stack full (five shown), more toasts would queue behind it without bound while
    // orders keep coming faster than toasts leave (8 s each: five per 8 s), each shown minutes
    // late and each held in the circuit. Instead the tab gets one "more new orders" toast, queued
    // once (a duplicate of its key is refused); the badge, title and alarm count every order.
    private static bool Overflowed(ISnackbar snackbar, NavigationManager navigation)
    {
        if (snackbar.ShownSnackbars.Count() < snackbar.Configuration.MaxDisplayedSnackbars)
        {
            return false;
        }

        Toast(snackbar, navigation, "More new orders", "See the orders list", "orders", acknowledge: null, OverflowKey);
        return true;
    }

    // A click anywhere on the toast opens the link (and closes the toast); newest on top and
    // at most five at once come from the snackbar configuration (UiRegistration).
    private static void Toast(ISnackbar snackbar, NavigationManager navigation, string title, string? detail, string link, Func<Task<bool>>? acknowledge, string? key = null)
    {
        // The button closes its own toast; the snackbar exists only once Add returned.
        Snackbar? added = null;
        Func<Task>? onAcknowledge = acknowledge is null ? null : async () =>
        {
            await acknowledge();
            if (added is not null)
            {
                snackbar.Remove(added);
            }
        };
        added = snackbar.Add(Message(title, detail, link, onAcknowledge), Severity.Info, options =>
        {
            options.OnClick = _ =>
            {
                navigation.NavigateTo(link);
                return Task.CompletedTask;
            };
            options.ShowCloseIcon = true;
            // Opaque: MudBlazor's default 95 % lets the list behind bleed through the text.
            options.MaximumOpacity = 100;
            options.VisibleStateDuration = ToastMilliseconds;
            options.DuplicatesBehavior = key is null ? SnackbarDuplicatesBehavior.Allow : SnackbarDuplicatesBehavior.Prevent;
        }, key);
    }

    // One data-testid="order-toast" element per toast, holding its text: a real link, so the
    // keyboard reaches it and a middle click opens a tab. A plain click is left to the
    // snackbar's OnClick (preventDefault: one navigation, not two), which also closes it.
    // The Acknowledge button is the link's sibling (a button inside a link is invalid) and stops
    // its click from reaching the snackbar, which would open the order.
    private static RenderFragment Message(string title, string? detail, string link, Func<Task>? acknowledge) => builder =>
    {
        if (acknowledge is null)
        {
            Render(builder, title, detail, link);
            return;
        }

        builder.OpenElement(20, "div");
        builder.AddAttribute(21, "class", "portal-toast-row");
        Render(builder, title, detail, link);
        builder.OpenElement(22, "button");
        builder.AddAttribute(23, "type", "button");
        builder.AddAttribute(24, "data-testid", "acknowledge-order");
        builder.AddAttribute(25, "class", "mud-button-root mud-button mud-button-outlined mud-button-outlined-inherit mud-button-outlined-size-small portal-toast-ack");
        builder.AddAttribute(26, "onclick", EventCallback.Factory.Create<MouseEventArgs>(acknowledge, acknowledge));
        builder.AddEventStopPropagationAttribute(27, "onclick", true);
        builder.AddContent(28, "Acknowledge");
        builder.CloseElement();
        builder.CloseElement();
    };

    private static void Render(RenderTreeBuilder builder, string title, string? detail, string link)
    {
        builder.OpenElement(0, "a");
        builder.AddAttribute(1, "class", "portal-toast");
        builder.AddAttribute(2, "data-testid", "order-toast");
        builder.AddAttribute(3, "href", link);
        builder.AddEventPreventDefaultAttribute(4, "onclick", true);
        builder.OpenElement(5, "span");
        builder.AddAttribute(6, "class", "portal-toast-title");
        builder.AddContent(7, title);
        builder.CloseElement();
        if (detail is not null)
        {
            builder.OpenElement(8, "span");
            builder.AddAttribute(9, "class", "portal-toast-detail");
            builder.AddContent(10, detail);
            builder.CloseElement();
        }

        builder.CloseElement();
    }
}
