using System.Net;
using System.Text.RegularExpressions;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// One signed-in merchant: the auth cookie every circuit of that merchant presents. Password hashing
/// is deliberately slow, so the harness signs in once per merchant and shares the jar across circuits
/// (CookieContainer is thread-safe). <see cref="Anonymous"/> is the same without a sign-in, for apps
/// that have none.
/// </summary>
public sealed partial class MerchantSession
{
    private MerchantSession(HttpClient http, Uri baseAddress, string email)
    {
        Http = http;
        BaseAddress = baseAddress;
        Email = email;
    }

    public HttpClient Http { get; }

    public Uri BaseAddress { get; }

    public string Email { get; }

    public CookieContainer Cookies { get; } = new();

    /// <summary>Posts the static login form the way a browser does; the portal answers a good sign-in with 302.</summary>
    /// <exception cref="InvalidOperationException">The login page has no token or the sign-in was refused.</exception>
    public static async Task<MerchantSession> SignInAsync(
        HttpClient http, Uri baseAddress, string email, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var session = new MerchantSession(http, baseAddress, email);
        var loginUri = new Uri(baseAddress, "Account/Login");
        string form;
        using (var get = new HttpRequestMessage(HttpMethod.Get, loginUri))
        using (var response = await session.SendAsync(get, cancellationToken))
        {
            response.EnsureSuccessStatusCode();
            form = await response.Content.ReadAsStringAsync(cancellationToken);
        }

        var token = AntiforgeryToken().Match(form);
        if (!token.Success)
        {
            throw new InvalidOperationException("The login page has no __RequestVerificationToken.");
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, loginUri)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        using var result = await session.SendAsync(post, cancellationToken);
        if (result.StatusCode != HttpStatusCode.Redirect)
        {
            // A refused sign-in re-renders the form with 200, so anything but 302 is a failure.
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)result.StatusCode}, not 302.");
        }

        return session;
    }

    /// <summary>A visitor who never signs in: an empty cookie jar and no <see cref="Email"/> ("").</summary>
    public static MerchantSession Anonymous(HttpClient http, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        return new MerchantSession(http, baseAddress, "");
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        CookieHttp.SendAsync(Http, request, Cookies, cancellationToken);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
