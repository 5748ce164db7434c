using System.Diagnostics;
using System.Text;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Infrastructure;

/// <summary>
/// The real app: its build output started as a separate process (Development, so the demo accounts
/// exist) on a free loopback port with its own SQLite file, as the load harness will meet it.
/// </summary>
public sealed class PortalProcess : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("merchantportal-bench-").FullName;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public PortalProcess() => ConnectionString = $"Data Source={DatabasePath}";

    public string ConnectionString { get; }

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>The app's process id, for harnesses that read it from outside (/proc, the diagnostic port).</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>The app's SQLite file, for harnesses that write orders the way another process would.</summary>
    public string DatabasePath => Path.Combine(_folder, "portal.db");

    public string Output => AppProcess.Read(_output);

    public async ValueTask InitializeAsync()
    {
        BaseAddress = AppProcess.FreeLoopbackAddress();
        _process = AppProcess.Start(ConnectionString, ["--urls", BaseAddress.ToString().TrimEnd('/')], _output);
        await AppProcess.WaitUntilServingAsync(_process, BaseAddress, _output);
    }

    /// <summary>Runs one of the app's operator commands (e.g. seed-orders) against the same database.</summary>
    public Task<(int ExitCode, string Output)> RunCommandAsync(params string[] args) =>
        AppProcess.RunToExitAsync(ConnectionString, args);

    public async ValueTask DisposeAsync()
    {
        await AppProcess.StopAsync(_process);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
