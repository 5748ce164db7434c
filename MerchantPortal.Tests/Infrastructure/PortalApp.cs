using System.Diagnostics;
using System.Net;
using System.Text;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// The real app: its build output started as a separate process (Development, demo data) on a
/// free loopback port with its own SQLite file. Shared by every test in the assembly.
/// </summary>
public sealed class PortalApp : IAsyncLifetime
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public TestDatabase Database { get; } = new();

    public Uri BaseAddress { get; private set; } = default!;

    public string Output => AppProcess.Read(_output);

    public async ValueTask InitializeAsync()
    {
        BaseAddress = AppProcess.FreeLoopbackAddress();
        // Circuits re-check their user every 2 s here (1 min in production) so a lock shows quickly.
        _process = AppProcess.Start(Database.ConnectionString, ["--urls", BaseAddress.ToString().TrimEnd('/')], _output,
            new Dictionary<string, string> { ["Authentication__RevalidationInterval"] = "00:00:02" });
        await AppProcess.WaitUntilServingAsync(_process, BaseAddress, _output);
    }

    /// <summary>Runs the app as a command (e.g. create-admin) and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(string connectionString, params string[] args) =>
        AppProcess.RunToExitAsync(connectionString, args);

    /// <summary>Runs the app as a command on this database, whichever its provider.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(TestDatabase database, params string[] args) =>
        AppProcess.RunToExitAsync(database.ConnectionString, args, database.AppEnvironment());

    /// <summary>Runs the app on this database, whichever its provider, until it exits by itself.</summary>
    public static Task<(int ExitCode, string Output)> RunToExitAsync(TestDatabase database, IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        AppProcess.RunToExitAsync(database.ConnectionString, args, database.AppEnvironment(environment));

    /// <summary>Runs the app until it exits by itself (a command, or a start-up that must fail).</summary>
    public static Task<(int ExitCode, string Output)> RunToExitAsync(string connectionString, IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        AppProcess.RunToExitAsync(connectionString, args, environment);

    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public async ValueTask DisposeAsync()
    {
        await AppProcess.StopAsync(_process);
        await Database.DisposeAsync();
    }
}
