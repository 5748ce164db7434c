namespace MerchantPortal.Security;

/// <summary>
/// Forwarded headers, HSTS and the security headers in front of everything. A startup filter,
/// not middleware added in Program.cs: WebApplication puts routing, authentication and
/// authorization in front of every middleware Program.cs adds, so the sign-in redirect would be
/// built from the proxy's scheme and address, and a 302 or 401 would go out without the headers
/// (NodeHeaderStartupFilter does the same for X-Portal-Node).
/// </summary>
internal sealed class SecurityStartupFilter(IWebHostEnvironment environment) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseForwardedHeaders();
        // HSTS only where the app is deployed: on a developer's machine it would pin localhost to
        // https for a year. Sent only on https requests (after the forwarded scheme is applied).
        if (!environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        next(app);
    };
}
