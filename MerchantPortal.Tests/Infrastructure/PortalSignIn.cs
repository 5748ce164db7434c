using System.Net;
using System.Text.RegularExpressions;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>Signs in through the real static login form, antiforgery token included.</summary>
public static partial class PortalSignIn
{
    public const string DemoPassword = "Demo!2345";

    public static Task<HttpResponseMessage> PostLoginAsync(this HttpClient client, string email, string password) =>
        client.PostStaticFormAsync("Account/Login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>
    /// GETs a static SSR page and posts its named form back as a browser would: the form name
    /// in _handler and the page's antiforgery token.
    /// </summary>
    public static async Task<HttpResponseMessage> PostStaticFormAsync(this HttpClient client, string path, string formName, Dictionary<string, string>? fields = null)
    {
        var page = await client.GetStringAsync(path);
        var form = new Dictionary<string, string>(fields ?? [])
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = AntiforgeryTokenIn(page, path),
        };
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>The antiforgery token of a static SSR page's form, as the browser would post it.</summary>
    public static string AntiforgeryTokenIn(string page, string path = "the page")
    {
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, $"{path} has no antiforgery token.");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    /// <summary>A client whose cookie jar holds a signed-in session for the user.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this PortalApp app, string email, string password = DemoPassword)
    {
        var client = app.CreateClient();
        using var response = await client.PostLoginAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
