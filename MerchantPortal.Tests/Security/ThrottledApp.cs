using System.Diagnostics;
using System.Net;
using System.Text;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.Security;

/// <summary>
/// An app process of the throttle tests' own, as in production (Production, no demo data, one
/// bootstrap admin), with small limits and a short window. Clients pose as other addresses with
/// X-Forwarded-For, which the app believes from loopback (its default trusted proxy, as nginx).
/// </summary>
public sealed class ThrottledApp : IAsyncLifetime
{
    public const string AdminEmail = "ops@throttle.test";

    /// <summary>An admin of its own for the forwarded-headers tests (see InitializeAsync).</summary>
    public const string ProxyTestsEmail = "proxy-tests@throttle.test";
    public const string AdminPassword = "Throttle!2345";
    public const int PerAddress = 5;
    public const int PerAccount = 3;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public TestDatabase Database { get; } = new();

    public Uri BaseAddress { get; private set; } = default!;

    public string Output => AppProcess.Read(_output);

    public async ValueTask InitializeAsync()
    {
        BaseAddress = AppProcess.FreeLoopbackAddress();
        _process = AppProcess.Start(Database.ConnectionString, ["--urls", BaseAddress.ToString().TrimEnd('/')], _output, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Bootstrap__AdminEmail"] = AdminEmail,
            ["Bootstrap__AdminPassword"] = AdminPassword,
            ["SignInThrottle__PerAddress"] = PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SignInThrottle__PerAccount"] = PerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SignInThrottle__Window"] = Window.ToString(),
        });
        await AppProcess.WaitUntilServingAsync(_process, BaseAddress, _output);

        // A second account, so the proxy tests' sign-ins do not spend the admin's per-account
        // budget that the spray test's colleague needs (CI found them sharing it).
        var (exitCode, output) = await AppProcess.RunToExitAsync(Database.ConnectionString,
            ["create-admin", "--email", ProxyTestsEmail, "--password", AdminPassword],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"create-admin {ProxyTestsEmail} failed ({exitCode}):\n{output}");
        }
    }

    /// <summary>A client whose every request says it was forwarded for <paramref name="address"/>.</summary>
    public HttpClient ClientFrom(string address, string scheme = "http")
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", scheme);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await AppProcess.StopAsync(_process);
        await Database.DisposeAsync();
    }
}
