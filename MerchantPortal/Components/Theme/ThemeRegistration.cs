namespace MerchantPortal.Components.Theme;

public static class ThemeRegistration
{
    public static IServiceCollection AddPortalTheme(this IServiceCollection services) =>
        services.AddSingleton<ThemeStylesheet>();

    /// <summary>
    /// GET /theme.css: anonymous (the sign-in page uses it too). Requested with the current
    /// version (?v=, as App.razor links it) it is cached for a year; otherwise revalidated.
    /// </summary>
    public static IEndpointRouteBuilder MapPortalTheme(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ThemeStylesheet.Path, async (HttpContext http, ThemeStylesheet stylesheet) =>
        {
            var rendered = await stylesheet.GetAsync();
            var etag = $"\"{rendered.Version}\"";
            http.Response.Headers.ETag = etag;
            http.Response.Headers.CacheControl = http.Request.Query["v"] == rendered.Version
                ? "public, max-age=31536000, immutable"
                : "no-cache";
            return http.Request.Headers.IfNoneMatch == etag
                ? Results.StatusCode(StatusCodes.Status304NotModified)
                : Results.Text(rendered.Css, "text/css; charset=utf-8");
        }).AllowAnonymous();
        return endpoints;
    }
}
