using System.Net;
using MerchantPortal.Data.Users;
using MerchantPortal.Setup;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Web;

/// <summary>Sign-in, lockout and authorization against the real app process over HTTP.</summary>
[Collection(SharedAppTests.Name)]
public sealed class AuthenticationTests(PortalApp app)
{
    [Fact]
    public async Task AnonymousVisitorToTheDashboardIsRedirectedToLogin()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location!.AbsolutePath);
        Assert.Contains("ReturnUrl=%2F", response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/orders")]
    [InlineData("/orders/1")]
    [InlineData("/admin/merchants")]
    [InlineData("/admin/seed")]
    [InlineData("/admin/activity")]
    [InlineData("/admin/nodes")]
    public async Task AnonymousVisitorIsRedirectedToLoginFromEveryProtectedPage(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task DemoMerchantSignsInAndSeesTheirShop()
    {
        using var client = app.CreateClient();

        using var login = await client.PostLoginAsync("merchant1@demo.local", PortalSignIn.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", new Uri(app.BaseAddress, login.Headers.Location!).AbsolutePath);

        var dashboard = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("Demo Shop 1", dashboard, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"new-order-badge\"", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo Shop 2", dashboard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswordIsRefusedWithoutSayingWhichPartWasWrong()
    {
        using var client = app.CreateClient();

        using var response = await client.PostLoginAsync("merchant2@demo.local", "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid e-mail or password.", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var dashboard = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountEvenForTheRightPassword()
    {
        const string email = "lockout-victim@test.local";
        const string password = "Right!Pass1";
        await using (var scope = app.Database.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AccountSetup>().CreateAdminAsync(email, password);
        }

        using var client = app.CreateClient();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await client.PostLoginAsync(email, $"wrong-{attempt}");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using var right = await client.PostLoginAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        await using var check = app.Database.Services.CreateAsyncScope();
        var users = check.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!));
    }

    [Theory]
    [InlineData("/admin/merchants")]
    [InlineData("/admin/seed")]
    [InlineData("/admin/activity")]
    [InlineData("/admin/nodes")]
    public async Task MerchantIsRefusedAdminPages(string path)
    {
        using var client = await app.SignedInClientAsync("merchant1@demo.local");

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/AccessDenied", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task AdminSeesTheMerchantList()
    {
        using var client = await app.SignedInClientAsync("admin@demo.local");

        var page = await client.GetStringAsync("/admin/merchants", TestContext.Current.CancellationToken);

        Assert.Contains("Demo Shop 1", page, StringComparison.Ordinal);
        Assert.Contains("Demo Shop 2", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherMerchantsOrderPageRevealsNothing()
    {
        using var client = await app.SignedInClientAsync("merchant2@demo.local");
        await using var db = app.Database.CreateDbContext();
        var foreign = db.Orders.First(o => o.Merchant!.Name == "Demo Shop 1");

        var page = await client.GetStringAsync($"/orders/{foreign.Id}", TestContext.Current.CancellationToken);

        Assert.Contains("Order not found.", page, StringComparison.Ordinal);
        Assert.DoesNotContain(foreign.CustomerName, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        using var client = await app.SignedInClientAsync("merchant2@demo.local");
        using var logout = await client.PostStaticFormAsync("/Account/Logout", "logout");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        using var dashboard = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Equal("/Account/Login", dashboard.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task AuthCookieIsHttpOnlyAndSameSiteLax()
    {
        using var client = app.CreateClient();

        using var login = await client.PostLoginAsync("merchant1@demo.local", PortalSignIn.DemoPassword);

        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("MerchantPortal.Auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
