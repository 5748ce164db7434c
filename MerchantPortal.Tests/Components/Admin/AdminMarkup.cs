using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace MerchantPortal.Tests.Components.Admin;

/// <summary>How the admin tests read and drive MudBlazor's markup.</summary>
internal static class AdminMarkup
{
    /// <summary>The message MudBlazor shows beside the field whose input carries <paramref name="testId"/>.</summary>
    public static string FieldError<T>(this IRenderedComponent<T> page, string testId)
        where T : IComponent =>
        page.Find($"[data-testid={testId}]").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    public static string Text<T>(this IRenderedComponent<T> page, string testId)
        where T : IComponent =>
        page.FindAll($"[data-testid={testId}]") is { Count: > 0 } found ? found[0].TextContent.Trim() : "";

    /// <summary>Types a value as the browser reports it: on each input for an Immediate field, on change otherwise.</summary>
    public static void Fill<T>(this IRenderedComponent<T> page, string testId, string value)
        where T : IComponent
    {
        var field = page.Find($"[data-testid={testId}]");
        if (field.HasAttribute("blazor:oninput"))
        {
            field.Input(value);
        }
        else
        {
            field.Change(value);
        }
    }

    /// <summary>Submits without waiting for the handler (it may be waiting for a dialog).</summary>
    public static Task SubmitAsync<T>(this IRenderedComponent<T> page, string formTestId)
        where T : IComponent =>
        page.Find($"[data-testid={formTestId}]").SubmitAsync();

    /// <summary>Clicks without waiting for the handler (it may be waiting for a dialog).</summary>
    public static Task ClickAsync(this IElement element) => element.ClickAsync(new MouseEventArgs());

    /// <summary>The button of the open MudMessageBox with this text.</summary>
    public static IElement DialogButton<T>(this IRenderedComponent<T> dialogs, string text)
        where T : IComponent
    {
        IElement? button = null;
        dialogs.WaitForAssertion(() => button = Assert.Single(dialogs.FindAll(".mud-dialog button"), b => b.TextContent.Trim() == text));
        return button!;
    }
}
