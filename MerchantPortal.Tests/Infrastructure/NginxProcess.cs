using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// Debian's nginx in the foreground on the repository's own deploy/nginx/merchantportal.conf,
/// with its two node addresses and its listen port replaced by the test's: everything else
/// (maps, hashing, timeouts, failover) is exactly what an operator installs. Its pid file, logs
/// and temp files live in a temp folder of its own; killed and deleted on dispose.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    // What the committed file says, replaced here; a change there must fail loudly, not run stale.
    private const string NodeAInConfig = "127.0.0.1:5081";
    private const string NodeBInConfig = "127.0.0.1:5082";
    private const string ListenInConfig = "listen 8080;";
    private const string TlsListenInConfig = "listen 443 ssl http2;";
    private const string CertificateInConfig = "/etc/ssl/merchantportal/fullchain.pem";
    private const string KeyInConfig = "/etc/ssl/merchantportal/privkey.pem";

    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _folder;

    private NginxProcess(Process process, StringBuilder output, string folder, Uri baseAddress, Uri tlsBaseAddress) =>
        (_process, _output, _folder, BaseAddress, TlsBaseAddress) = (process, output, folder, baseAddress, tlsBaseAddress);

    /// <summary>The committed configuration (found through the test assembly's metadata, like the app).</summary>
    public static string ConfigPath =>
        typeof(NginxProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NginxConfig").Value
        ?? throw new InvalidOperationException("Assembly metadata NginxConfig is missing.");

    public Uri BaseAddress { get; }

    /// <summary>The master's pid (its workers are its children), for CPU readings in /proc.</summary>
    public int Pid => _process.Id;

    /// <summary>The HTTPS/HTTP/2 server of the same file, with a self-signed certificate for 127.0.0.1 made at start.</summary>
    public Uri TlsBaseAddress { get; }

    /// <summary>nginx's own output and its error log, for failure messages.</summary>
    public string Output
    {
        get
        {
            var errorLog = Path.Combine(_folder, "error.log");
            return AppProcess.Read(_output) + (File.Exists(errorLog) ? File.ReadAllText(errorLog) : "");
        }
    }

    /// <summary>Starts nginx in front of the two nodes and waits until it passes a request to one of them.</summary>
    public static async Task<NginxProcess> StartAsync(Uri nodeA, Uri nodeB, int workerConnections = 1024)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing. The multi-node tests need Debian's nginx package: run the suite with `bash .ci/test` (it installs it) or apt-get install nginx.");
        }

        var folder = Directory.CreateTempSubdirectory("merchantportal-nginx-").FullName;
        var address = AppProcess.FreeLoopbackAddress();
        var tlsAddress = new UriBuilder(AppProcess.FreeLoopbackAddress()) { Scheme = Uri.UriSchemeHttps }.Uri;
        var (certificate, key) = await WriteSelfSignedCertificateAsync(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "merchantportal.conf"), SiteConfig(nodeA, nodeB, address, tlsAddress, certificate, key));
        var main = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(main, MainConfig(folder, workerConnections));

        // -e: the error log before the configuration is read (else /var/log/nginx, not ours);
        // -p: relative paths and the prefix nginx would otherwise take from its build.
        var start = new ProcessStartInfo(Binary, ["-e", Path.Combine(folder, "error.log"), "-p", folder + "/", "-c", main])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var nginx = new NginxProcess(process, output, folder, address, tlsAddress);
        try
        {
            await nginx.WaitUntilProxyingAsync();
            return nginx;
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }
    }

    /// <summary>The committed file with the test's addresses; fails if the file no longer names what is replaced.</summary>
    public static string SiteConfig(Uri nodeA, Uri nodeB, Uri listen, Uri tlsListen, string certificatePath, string keyPath)
    {
        var config = File.ReadAllText(ConfigPath);
        foreach (var expected in new[] { NodeAInConfig, NodeBInConfig, ListenInConfig, TlsListenInConfig, CertificateInConfig, KeyInConfig })
        {
            if (!config.Contains(expected, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{ConfigPath} no longer contains \"{expected}\", which the tests replace with their own address.");
            }
        }

        return config
            .Replace(NodeAInConfig, HostAndPort(nodeA), StringComparison.Ordinal)
            .Replace(NodeBInConfig, HostAndPort(nodeB), StringComparison.Ordinal)
            .Replace(ListenInConfig, $"listen {HostAndPort(listen)};", StringComparison.Ordinal)
            .Replace(TlsListenInConfig, $"listen {HostAndPort(tlsListen)} ssl http2;", StringComparison.Ordinal)
            .Replace(CertificateInConfig, certificatePath, StringComparison.Ordinal)
            .Replace(KeyInConfig, keyPath, StringComparison.Ordinal);
    }

    /// <summary>A throwaway certificate for 127.0.0.1 (browsers in the tests ignore its issuer), as PEM files nginx reads.</summary>
    private static async Task<(string Certificate, string Key)> WriteSelfSignedCertificateAsync(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var (certificatePath, keyPath) = (Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // With `daemon off` the master is this process's child and the workers are its
            // children: the whole tree goes.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A worker may still be closing a temp file; the OS temp cleaner gets it.
        }
    }

    /// <summary>
    /// The wrapper a conf.d file expects around it: foreground, one worker, pid, logs and temp
    /// paths in the test's folder. As root the worker stays root, so it can use that folder
    /// (Debian's default worker user, www-data, could not). A load harness raises the connection
    /// limit (each proxied WebSocket takes two: the browser's and the node's).
    /// </summary>
    private static string MainConfig(string folder, int workerConnections) => $$"""
        {{(Environment.UserName == "root" ? "user root;" : "")}}
        daemon off;
        worker_processes 1;
        worker_rlimit_nofile {{workerConnections + 64}};
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log warn;
        events {
            worker_connections {{workerConnections}};
        }
        http {
            access_log {{folder}}/access.log;
            client_body_temp_path {{folder}}/client_body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;
            include {{folder}}/merchantportal.conf;
        }
        """;

    /// <summary>Polls until nginx answers with a node's response (the X-Portal-Node header): listening and proxying.</summary>
    private async Task WaitUntilProxyingAsync()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartupDeadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode} during start-up:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("Account/Login", UriKind.Relative));
                if (response.Headers.Contains("X-Portal-Node"))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"nginx did not pass a request to a node within {StartupDeadline}:\n{Output}");
    }

    private static string HostAndPort(Uri address) => string.Create(CultureInfo.InvariantCulture, $"{address.Host}:{address.Port}");

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
