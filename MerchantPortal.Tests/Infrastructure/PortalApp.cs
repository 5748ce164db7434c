using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// The real app: its build output started as a separate process (Development, demo data) on a
/// free loopback port with its own SQLite file. Shared by every test in the assembly.
/// </summary>
public sealed class PortalApp : IAsyncLifetime
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(90);
    private readonly StringBuilder _output = new();
    private Process? _process;

    public TestDatabase Database { get; } = new();

    public Uri BaseAddress { get; private set; } = default!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string AppProjectDir => Metadata("AppProjectDir");

    public static string AppDll =>
        Path.Combine(AppProjectDir, "bin", Metadata("AppConfiguration"), "net10.0", "MerchantPortal.dll");

    public async ValueTask InitializeAsync()
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        // Circuits re-check their user every 2 s here (1 min in production) so a lock shows quickly.
        _process = StartApp(Database.ConnectionString, ["--urls", BaseAddress.ToString().TrimEnd('/')], _output,
            new Dictionary<string, string> { ["Authentication__RevalidationInterval"] = "00:00:02" });
        await WaitUntilServingAsync();
    }

    /// <summary>Starts the app's dll with the given arguments, as `dotnet run` would, minus the build.</summary>
    public static Process StartApp(string connectionString, IEnumerable<string> args, StringBuilder output, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppProjectDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__MerchantPortal"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__MerchantPortal"] = "Information";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs the app as a command (e.g. create-admin) and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(string connectionString, params string[] args) =>
        RunToExitAsync(connectionString, args);

    /// <summary>Runs the app until it exits by itself (a command, or a start-up that must fail).</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string connectionString, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var output = new StringBuilder();
        using var process = StartApp(connectionString, args, output, environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit(); // flushes the asynchronous output readers
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        await Database.DisposeAsync();
    }

    private async Task WaitUntilServingAsync()
    {
        using var client = CreateClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupDeadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode} during start-up:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("Account/Login");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The app did not serve /Account/Login within {StartupDeadline}:\n{Output}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Metadata(string key) =>
        typeof(PortalApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}
