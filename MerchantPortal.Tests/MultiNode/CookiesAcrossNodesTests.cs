using System.Net;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.MultiNode;

/// <summary>
/// One Data Protection key ring for every node, on the two-node PostgreSQL deployment (Nodes/
/// SharedKeyRingTests covers SQLite): what node A protects (the sign-in cookie, an antiforgery
/// token) node B reads. Straight to each node's own address, not through nginx, so the node
/// that issued and the node that checks are known for certain.
/// </summary>
[Collection(MultiNodeTests.Name)]
public sealed class CookiesAcrossNodesTests(TwoNodes nodes)
{
    [Fact]
    public async Task ASignInCookieIssuedByNodeAIsHonouredByNodeBWithoutANewSignIn()
    {
        // Cookies belong to a host, not a port: one jar for both nodes' loopback addresses, as a
        // browser behind nginx would hold them.
        var cookies = new CookieContainer();
        using var a = nodes.A.CreateClient(cookies);
        using var b = nodes.B.CreateClient(cookies);

        using var login = await a.PostLoginAsync("merchant1@demo.local", PortalSignIn.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(nodes.A.Name, TwoNodes.ServedBy(login));
        Assert.NotNull(cookies.GetCookies(nodes.A.BaseAddress)["MerchantPortal.Auth"]);

        using var dashboard = await b.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(nodes.B.Name, TwoNodes.ServedBy(dashboard));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var page = await dashboard.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"new-order-badge\"", page, StringComparison.Ordinal);
        Assert.Contains("Demo Shop 1", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAntiforgeryProtectedFormRenderedByNodeAPostsSuccessfullyToNodeB()
    {
        var cookies = new CookieContainer();
        using var a = nodes.A.CreateClient(cookies);
        using var b = nodes.B.CreateClient(cookies);
        using var form = await a.GetAsync("Account/Login", TestContext.Current.CancellationToken);
        Assert.Equal(nodes.A.Name, TwoNodes.ServedBy(form));
        var token = PortalSignIn.AntiforgeryTokenIn(await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        // Node A's antiforgery cookie (in the jar) and node A's form token, posted to node B.
        using var post = await b.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = "merchant2@demo.local",
            ["Input.Password"] = PortalSignIn.DemoPassword,
        }), TestContext.Current.CancellationToken);

        Assert.Equal(nodes.B.Name, TwoNodes.ServedBy(post));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        // Signed in by B, and A honours B's cookie in turn.
        using var dashboard = await a.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Demo Shop 2", await dashboard.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
