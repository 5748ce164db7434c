using System.Net;
using System.Text;
using MerchantPortal.Nodes;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Tests.Nodes;

/// <summary>
/// A second node on the shared app's SQLite file: what one node protects (the sign-in cookie, an
/// antiforgery token) the other accepts, because both read the key ring from the database. The
/// same over PostgreSQL behind nginx is in MultiNode/.
/// </summary>
public sealed class SharedKeyRingTests(PortalApp nodeA) : IAsyncLifetime
{
    private readonly StringBuilder _outputB = new();
    private System.Diagnostics.Process? _nodeB;
    private readonly string _homeB = Directory.CreateTempSubdirectory("merchantportal-node-b-").FullName;
    private Uri _addressB = default!;

    public async ValueTask InitializeAsync()
    {
        _addressB = AppProcess.FreeLoopbackAddress();
        // A home folder of its own: without the database key ring, B would keep its keys in a file
        // folder A never reads (on one machine both would otherwise share ~/.aspnet).
        _nodeB = AppProcess.Start(nodeA.Database.ConnectionString, ["--urls", _addressB.ToString().TrimEnd('/')], _outputB,
            new Dictionary<string, string> { ["HOME"] = _homeB });
        await AppProcess.WaitUntilServingAsync(_nodeB, _addressB, _outputB);
    }

    public async ValueTask DisposeAsync()
    {
        await AppProcess.StopAsync(_nodeB);
        Directory.Delete(_homeB, recursive: true);
    }

    [Fact]
    public async Task ASignInCookieIssuedByOneNodeIsHonouredByAnotherWithoutSigningInAgain()
    {
        var cookies = new CookieContainer();
        using (var onA = nodeA.CreateClient(cookies))
        using (var login = await onA.PostLoginAsync("merchant1@demo.local", PortalSignIn.DemoPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.Equal(NodeOf(nodeA.BaseAddress), Assert.Single(login.Headers.GetValues(NodeIdentity.Header)));
        }

        // Cookies are not scoped by port: B gets A's cookie as a browser behind a load balancer would.
        using var onB = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = _addressB };
        using var orders = await onB.GetAsync("orders", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        Assert.Equal(NodeOf(_addressB), Assert.Single(orders.Headers.GetValues(NodeIdentity.Header)));
        Assert.Contains("Demo Shop 1", await orders.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAntiforgeryProtectedFormRenderedByOneNodePostsSuccessfullyToAnother()
    {
        var cookies = new CookieContainer();
        using var onA = nodeA.CreateClient(cookies);
        var form = await onA.GetStringAsync("Account/Login", TestContext.Current.CancellationToken);
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        Assert.True(token.Success);

        using var onB = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = _addressB };
        using var posted = await onB.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["Input.Email"] = "merchant2@demo.local",
            ["Input.Password"] = PortalSignIn.DemoPassword,
        }), TestContext.Current.CancellationToken);

        // A token B could not read would be refused with 400 before the sign-in ran.
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/", new Uri(_addressB, posted.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task BothNodesUseTheOneKeyRingKeptInTheDatabase()
    {
        await using var db = nodeA.Database.CreateDbContext();
        var keys = await db.DataProtectionKeys.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);

        // Node A created the first key at its start; B found it there instead of making its own.
        var key = Assert.Single(keys);
        Assert.Contains("<key id=", key.Xml, StringComparison.Ordinal);
    }

    /// <summary>The default node name: host name and port.</summary>
    private static string NodeOf(Uri address) => $"{Environment.MachineName}:{address.Port}";
}
