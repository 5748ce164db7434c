using System.Diagnostics;
using System.Net;
using System.Text;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// One app process of several on one PostgreSQL database: its node name, its own address and
/// its own database role (so the database can tell the nodes' queries apart), and a home folder
/// of its own: as on separate machines, nothing is shared through the file system (ASP.NET Core's
/// default key ring, ~/.aspnet/DataProtection-Keys, would otherwise be one for every node here).
/// </summary>
public sealed class PortalNode(string name, string role, string connectionString, IDictionary<string, string> environment) : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly string _home = Directory.CreateTempSubdirectory("merchantportal-node-").FullName;
    private Process? _process;

    /// <summary>Node:Name, the text of X-Portal-Node and of the layout's portal-node element.</summary>
    public string Name { get; } = name;

    /// <summary>The PostgreSQL role this node logs in as.</summary>
    public string Role { get; } = role;

    public Uri BaseAddress { get; private set; } = default!;

    public string Output => AppProcess.Read(_output);

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The process id while it runs, for CPU and command readings from outside.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException($"{Name} is not running.");

    /// <summary>Starts the node on a free port and waits until it serves.</summary>
    public async Task StartAsync()
    {
        BaseAddress = AppProcess.FreeLoopbackAddress();
        _process = AppProcess.Start(connectionString, ["--urls", BaseAddress.ToString().TrimEnd('/')], _output,
            new Dictionary<string, string>(environment) { ["Node__Name"] = Name, ["HOME"] = _home });
        await AppProcess.WaitUntilServingAsync(_process, BaseAddress, _output);
    }

    /// <summary>Ends the process at once (SIGKILL), as a crash or a pulled plug would: no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        await AppProcess.StopAsync(_process);
        _process = null;
    }

    /// <summary>A client of this node's own address (not through nginx).</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // The killed process may still be closing a file; the OS temp cleaner gets it.
        }
    }

    public override string ToString() => $"{Name} at {BaseAddress}";
}
