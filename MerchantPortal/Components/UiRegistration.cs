using MerchantPortal.Components.Theme;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor.Services;

namespace MerchantPortal.Components;

public static class UiRegistration
{
    public static IServiceCollection AddPortalUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents()
            // The badge, title and alarm of the prerendered page carry over into its circuit's
            // first render (MerchantLiveOrders.HandOver): no flicker to 0 while it loads.
            .RegisterPersistentService<Orders.MerchantLiveOrders>(RenderMode.InteractiveServer);
        services.AddMudServices(ConfigureMud);
        services.AddScoped<Shared.BrowserTime>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, SnackbarCircuitHandler>();
        services.AddPortalTheme();
        return services;
    }

    /// <summary>The app's MudBlazor settings (also the component tests', so they see what users see).</summary>
    public static void ConfigureMud(MudServicesConfiguration mud)
    {
        // Order toasts (OrderToasts) and page messages: newest on top, at most five at once.
        mud.SnackbarConfiguration.NewestOnTop = true;
        mud.SnackbarConfiguration.MaxDisplayedSnackbars = 5;
        mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
        // No timed show and hide transitions: each is a timer and a render batch per toast
        // per tab, which at 500 orders/s over thousands of tabs is snackbar work for nothing
        // (issue 16). The stylesheet fades toasts in on the browser instead (.mud-snackbar).
        mud.SnackbarConfiguration.ShowTransitionDuration = 0;
        mud.SnackbarConfiguration.HideTransitionDuration = 0;
    }

    public static WebApplication UsePortalUi(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapPortalTheme();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
