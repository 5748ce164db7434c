using System.Net.Sockets;
using System.Text;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.Security;

/// <summary>
/// The real app under a low open-file limit, as a node full of tabs is: it must hold what the limit
/// allows, close the connections above it at once, and keep serving. Without the budget every
/// connection is taken until the files run out, and then .NET aborts the process ("Out of memory.").
/// </summary>
public sealed class ConnectionBudgetTests
{
    // The app opens about 400 files of its own (assemblies, runtime, database); 1,200 leaves room
    // for 176 connections after the default reserve of 1,024.
    private const int OpenFileLimit = 1200;
    private const int Budget = OpenFileLimit - 1024;
    private const int Connections = 500;

    [Fact]
    public async Task AtItsOpenFileLimitANodeClosesTheNextConnectionsAtOnceAndKeepsServing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = new TestDatabase();
        var address = AppProcess.FreeLoopbackAddress();
        var output = new StringBuilder();
        var app = AppProcess.Start(database.ConnectionString, ["--urls", address.ToString().TrimEnd('/')], output, openFileLimit: OpenFileLimit);
        var sockets = new List<TcpClient>();
        try
        {
            await AppProcess.WaitUntilServingAsync(app, address, output);
            Assert.Contains($"Accepting at most {Budget} connections at once (open-file limit {OpenFileLimit}", AppProcess.Read(output), StringComparison.Ordinal);

            // Each connection asks once and stays open (keep-alive), as a tab's socket does.
            var served = 0;
            var closed = 0;
            for (var i = 0; i < Connections; i++)
            {
                var socket = new TcpClient();
                sockets.Add(socket);
                if (await AskAsync(socket, address, ct))
                {
                    served++;
                }
                else
                {
                    closed++;
                }
            }

            Assert.False(app.HasExited, $"The app exited with {Connections} connections open:\n{AppProcess.Read(output)}");
            Assert.Equal(Budget, served);
            Assert.Equal(Connections - Budget, closed);
            Assert.True(Directory.GetFiles($"/proc/{app.Id}/fd").Length < OpenFileLimit, "The app holds as many files as its limit allows.");
            Assert.Contains("Refused connection over this node's limit", AppProcess.Read(output), StringComparison.Ordinal);

            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            sockets.Clear();
            using var client = new HttpClient { BaseAddress = address };
            await Eventually.HoldsAsync(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative), ct)).IsSuccessStatusCode,
                $"The app did not serve again once the connections closed:\n{AppProcess.Read(output)}", TimeSpan.FromSeconds(20));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            await AppProcess.StopAsync(app);
        }
    }

    [Fact]
    public async Task AnOpenFileLimitThatLeavesNoConnectionsStopsTheStartWithTheReason()
    {
        await using var database = new TestDatabase();
        var address = AppProcess.FreeLoopbackAddress();
        var output = new StringBuilder();
        var app = AppProcess.Start(database.ConnectionString, ["--urls", address.ToString().TrimEnd('/')], output, openFileLimit: 900);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await app.WaitForExitAsync(timeout.Token);
            app.WaitForExit();
            Assert.NotEqual(0, app.ExitCode);
            Assert.Contains("The open-file limit (900) leaves no connections after Circuits:ReservedFileDescriptors (1024)", AppProcess.Read(output), StringComparison.Ordinal);
        }
        finally
        {
            await AppProcess.StopAsync(app);
        }
    }

    /// <summary>True when the app answered; false when it closed the connection instead.</summary>
    private static async Task<bool> AskAsync(TcpClient socket, Uri address, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            // A connection closed as it is accepted may already be reset when the connect completes.
            await socket.ConnectAsync(address.Host, address.Port, timeout.Token);
            var stream = socket.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /health/live HTTP/1.1\r\nHost: {address.Authority}\r\n\r\n"), timeout.Token);
            var buffer = new byte[512];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return false;
        }
    }
}
