namespace MerchantPortal.Security;

/// <summary>The headers every response carries (pages, static files, health probes, errors).</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Everything the portal loads comes from itself. Each source beyond 'self', and why:
    /// <list type="bullet">
    /// <item>script-src 'self' only: no inline script and no eval. App.razor loads every script
    /// from a file (blazor.web.js, MudBlazor.min.js, wwwroot/js), Blazor Server needs no eval,
    /// and JS modules imported by components are files too.</item>
    /// <item>style-src 'unsafe-inline': MudBlazor components render style="" attributes
    /// (popover positions, progress widths, colours) and Blazor applies them with setAttribute,
    /// which CSP treats as inline style. A nonce or hash cannot cover attribute values. Style
    /// cannot run script, so this does not reopen script injection.</item>
    /// <item>img-src data: MudBlazor.min.css embeds a small PNG as a data: URL.</item>
    /// <item>connect-src 'self': fetch (enhanced navigation, the reconnect probe) and the
    /// circuit's WebSocket; CSP Level 3's 'self' matches ws:/wss: to the same host and port, so no
    /// ws: source is listed (checked in Chromium by the browser tests, which fail on any violation).</item>
    /// <item>frame-ancestors 'none': no site may frame the portal (clickjacking); X-Frame-Options
    /// says the same to browsers that predate CSP 2.</item>
    /// </list>
    /// Audio (Web Audio, generated, no file) and notifications need no source.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>
    /// Powerful features the portal never uses, off for it and anything it might embed. Not
    /// listed, so still allowed: autoplay (the new-order chime's AudioContext) and fullscreen;
    /// notifications are not governed by Permissions-Policy.
    /// </summary>
    public const string PermissionsPolicy =
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), midi=(), display-capture=()";

    /// <summary>Adds the headers when the response starts, so error pages (whose handler clears headers) get them too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                // Order and user ids in paths stay on the portal: other sites get no referrer.
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = PermissionsPolicy;
                return Task.CompletedTask;
            });
            return next(context);
        });
}
