using System.Net;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// HTTP with an explicit cookie jar. The harness shares one handler (and its connection pool) across
/// every merchant, so the handler itself must not keep cookies; each merchant's jar is applied per request.
/// </summary>
public static class CookieHttp
{
    /// <summary>A client for the whole harness: no automatic cookies, no redirects (a 302 is the sign-in result).</summary>
    public static HttpClient CreateSharedClient() =>
        new(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };

    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpRequestMessage request, CookieContainer cookies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cookies);
        var uri = request.RequestUri ?? throw new ArgumentException("The request needs an absolute URI.", nameof(request));
        var header = cookies.GetCookieHeader(uri);
        if (header.Length > 0)
        {
            request.Headers.Add("Cookie", header);
        }

        var response = await http.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                cookies.SetCookies(uri, setCookie);
            }
        }

        return response;
    }
}
