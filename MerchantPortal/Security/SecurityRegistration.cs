using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;

namespace MerchantPortal.Security;

/// <summary>Forwarded headers from trusted proxies, security headers on every response, sign-in throttling.</summary>
public static class SecurityRegistration
{
    /// <summary>Configuration key: addresses (10.0.0.5) or networks (10.0.0.0/24) of the reverse proxies whose X-Forwarded-* the app believes.</summary>
    public const string TrustedProxiesKey = "ForwardedHeaders:TrustedProxies";

    public static IServiceCollection AddPortalSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignInThrottleOptions>()
            .Bind(configuration.GetSection(SignInThrottleOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SignInThrottle>();

        // Parsed here, not in the options callback, so a mistyped entry stops the start-up.
        var trusted = (configuration.GetSection(TrustedProxiesKey).Get<string[]>() ?? [])
            .Select(entry => System.Net.IPNetwork.Parse(entry.Contains('/', StringComparison.Ordinal) ? entry : $"{entry}/{(IPAddress.Parse(entry).AddressFamily == AddressFamily.InterNetwork ? 32 : 128)}"))
            .ToList();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // The client's address (throttling, logs) and scheme (Secure cookies, HSTS, redirects)
            // as the proxy saw them. Not X-Forwarded-Host: Host already arrives as the browser sent it.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies named here; by default the framework's loopback (nginx on the same
            // host, as deploy/nginx runs it). Anyone else's X-Forwarded-For is ignored, so a
            // client cannot choose the address it is throttled as.
            if (trusted.Count > 0)
            {
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                trusted.ForEach(options.KnownIPNetworks.Add);
            }
        });
        services.AddTransient<IStartupFilter, SecurityStartupFilter>();
        return services;
    }
}
