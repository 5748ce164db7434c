using Bunit;
using MerchantPortal.Components.Shared;
using MerchantPortal.Orders;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// bUnit with the app's real services (data, identity, notifier, admin) on a real SQLite file,
/// MudBlazor's services, and the app's own authentication state provider signed in as a real
/// user of that file (the claims the app's sign-in would put in the cookie). JS interop is
/// loose: calls nobody planned return defaults; tests plan the ones they assert on.
/// </summary>
public sealed class PortalComponentContext : BunitContext
{
    private PortalComponentContext(TestDatabase database)
    {
        Database = database;
        TestDatabase.AddPortalServices(Services, database.Settings);
        Services.AddMudServices(MerchantPortal.Components.UiRegistration.ConfigureMud);
        Services.AddScoped<BrowserTime>();
        Services.AddCascadingAuthenticationState();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public TestDatabase Database { get; }

    public OrderNotifier Notifier => Services.GetRequiredService<OrderNotifier>();

    /// <summary>The circuit's live view (scoped: the one the rendered components share).</summary>
    public MerchantLiveOrders Live => Services.GetRequiredService<MerchantLiveOrders>();

    /// <summary>A context signed in as <paramref name="email"/> (null: anonymous); <paramref name="configure"/> replaces services (e.g. a fake clock).</summary>
    public static async Task<PortalComponentContext> CreateAsync(TestDatabase database, string? email, Action<IServiceCollection>? configure = null)
    {
        var context = new PortalComponentContext(database);
        configure?.Invoke(context.Services);
        var principal = email is null ? new System.Security.Claims.ClaimsPrincipal() : await database.PrincipalForAsync(email);
        ((IHostEnvironmentAuthenticationStateProvider)context.Services.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return context;
    }

    /// <summary>Renders <typeparamref name="T"/> under MudBlazor's providers, as the app's layout would.</summary>
    public IRenderedComponent<T> RenderWithProviders<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        Render<MudBlazor.MudPopoverProvider>();
        Render<MudBlazor.MudDialogProvider>();
        Render<MudBlazor.MudSnackbarProvider>();
        return Render(parameters);
    }
}
