using System.Net;
using MerchantPortal.Security;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.Security;

/// <summary>The shared app (Development): the headers on every kind of response.</summary>
public sealed class SecurityHeadersTests(PortalApp app)
{
    [Theory]
    [InlineData("Account/Login", HttpStatusCode.OK)]
    [InlineData("app.css", HttpStatusCode.OK)]
    [InlineData("theme.css", HttpStatusCode.OK)]
    [InlineData("health/live", HttpStatusCode.OK)]
    [InlineData("no-such-page", HttpStatusCode.NotFound)]
    [InlineData("", HttpStatusCode.Redirect)]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path, HttpStatusCode status)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, csp);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Equal(SecurityHeaders.PermissionsPolicy, Header(response, "Permissions-Policy"));
        // HSTS only outside Development (SignInThrottlingTests checks it in Production).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    internal static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} missing on {response.RequestMessage?.RequestUri} ({(int)response.StatusCode})");
}
