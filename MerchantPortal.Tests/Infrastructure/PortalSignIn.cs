using System.Net;
using System.Text.RegularExpressions;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>Signs in through the real static login form, antiforgery token included.</summary>
public static partial class PortalSignIn
{
    public const string DemoPassword = "Demo!2345";

    public static async Task<HttpResponseMessage> PostLoginAsync(this HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("Account/Login");
        var token = AntiforgeryToken().Match(form);
        Assert.True(token.Success, "The login page has no antiforgery token.");
        return await client.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
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
