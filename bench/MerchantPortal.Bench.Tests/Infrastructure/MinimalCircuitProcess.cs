using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Infrastructure;

/// <summary>
/// bench/MinimalCircuit, the floor reference, started from its build output on a free loopback port
/// as the heap measurement starts it (no sign-in, no database).
/// </summary>
public sealed class MinimalCircuitProcess : IAsyncLifetime
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public Uri BaseAddress { get; private set; } = default!;

    public string Output => AppProcess.Read(_output);

    public async ValueTask InitializeAsync()
    {
        BaseAddress = AppProcess.FreeLoopbackAddress();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilServingAsync();
    }

    public async ValueTask DisposeAsync() => await AppProcess.StopAsync(_process);

    private static string Dll =>
        typeof(MinimalCircuitProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "MinimalCircuitDll").Value
        ?? throw new InvalidOperationException("Assembly metadata MinimalCircuitDll is missing.");

    private async Task WaitUntilServingAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupDeadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"MinimalCircuit exited with code {_process.ExitCode} during start-up:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("", UriKind.Relative));
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

        throw new TimeoutException($"MinimalCircuit did not serve / within {StartupDeadline}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
