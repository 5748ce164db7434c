using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Bench.Floor;

/// <summary>bench/MinimalCircuit's build output started as its own process on <paramref name="url"/>, serving once this returns.</summary>
internal static class MinimalApp
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(60);

    public static string Dll =>
        typeof(MinimalApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MinimalCircuitDll").Value
        ?? throw new InvalidOperationException("Assembly metadata MinimalCircuitDll is missing.");

    public static async Task<Process> StartAsync(Uri url, StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartupDeadline && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        await AppProcess.StopAsync(process);
        throw new InvalidOperationException($"MinimalCircuit did not serve / within {StartupDeadline}:\n{AppProcess.Read(output)}");
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
}
