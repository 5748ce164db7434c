using System.Net;
using System.Net.Sockets;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.Web;

/// <summary>
/// The one SQL Server failure these machines can produce without an engine: nothing listening
/// where the connection string points. The app and its commands stop with one line.
/// </summary>
public sealed class SqlServerStartupTests
{
    private const string Password = "pw-never-printed-51c2";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnUnreachableSqlServerStopsTheAppAndItsCommandsWithOneLineSayingWhere(bool command)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        string[] line = command ? ["seed-orders", "--merchant", "Demo Shop 1", "--count", "3"] : ["--urls", "http://127.0.0.1:0"];
        var (exitCode, output) = await AppProcess.RunToExitAsync(
            $"Server=tcp:127.0.0.1,{port};Database=Shop;User Id=portal;Password={Password};Encrypt=False;Connect Timeout=5;ConnectRetryCount=0",
            line, new Dictionary<string, string> { ["Database__Provider"] = "SqlServer" });

        Assert.True(exitCode == 1, $"exit {exitCode}: {output}");
        Assert.Contains($"MerchantPortal cannot start: SQL Server unreachable (server tcp:127.0.0.1,{port}, database Shop, user portal).", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
    }
}
