using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// Starts the app's own build output as a separate process, as `dotnet run` would minus the
/// build. Compiled into MerchantPortal.Tests and (linked) into bench's tests; each finds the app
/// through its own AssemblyMetadata (AppProjectDir, AppConfiguration).
/// </summary>
public static class AppProcess
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(90);

    public static string AppProjectDir => Metadata("AppProjectDir");

    public static string AppDll =>
        Path.Combine(AppProjectDir, "bin", Metadata("AppConfiguration"), "net10.0", "MerchantPortal.dll");

    /// <summary>
    /// Development (demo data), the given database, warnings only except the app's own logs; with
    /// <paramref name="openFileLimit"/>, under that open-file limit (prlimit execs the app, so the
    /// process id is the app's).
    /// </summary>
    public static Process Start(string connectionString, IEnumerable<string> args, StringBuilder output, IDictionary<string, string>? environment = null, int? openFileLimit = null)
    {
        var start = new ProcessStartInfo(openFileLimit is null ? "dotnet" : "prlimit")
        {
            WorkingDirectory = AppProjectDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (openFileLimit is { } limit)
        {
            start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--nofile={limit}:{limit}"));
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__MerchantPortal"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__MerchantPortal"] = "Information";
        // Kestrel's "Now listening on" line: WaitUntilServingAsync needs it (see there).
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        // The suite signs the same demo users in from 127.0.0.1 hundreds of times a minute, far
        // above the production throttle; the throttle's own tests pass their limits below.
        start.Environment["SignInThrottle__PerAddress"] = "1000000";
        start.Environment["SignInThrottle__PerAccount"] = "1000000";
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

    /// <summary>Runs the app until it exits by itself (a command, or a start-up that must fail).</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string connectionString, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var output = new StringBuilder();
        using var process = Start(connectionString, args, output, environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit(); // flushes the asynchronous output readers
        return (process.ExitCode, Read(output));
    }

    /// <summary>
    /// Polls /Account/Login until it answers 200; fails with the app's output if it exits or times out.
    /// Only once this process has said it listens on the address: <see cref="FreeLoopbackAddress"/>
    /// frees its port before the app binds it, so another test process may take the port first,
    /// and its answer would pass this process off as started while it is still preparing the
    /// database (CI once saw a second node then race the first one's start-up).
    /// </summary>
    public static async Task WaitUntilServingAsync(Process process, Uri baseAddress, StringBuilder output)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        // Not followed by a digit: port 4123 must not match a line for 41234.
        var listening = new Regex("Now listening on: " + Regex.Escape(baseAddress.GetLeftPart(UriPartial.Authority)) + @"(?!\d)");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupDeadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode} during start-up:\n{Read(output)}");
            }

            if (!listening.IsMatch(Read(output)))
            {
                await Task.Delay(200);
                continue;
            }

            try
            {
                using var response = await client.GetAsync(new Uri("Account/Login", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
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

        throw new TimeoutException($"The app did not serve /Account/Login within {StartupDeadline}:\n{Read(output)}");
    }

    public static async Task StopAsync(Process? process)
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
    }

    public static Uri FreeLoopbackAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    }

    public static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

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

    private static string Metadata(string key) =>
        typeof(AppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}
