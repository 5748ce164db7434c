using System.Net;
using System.Net.Sockets;
using System.Text;
using MerchantPortal.Tests.Infrastructure;
using Npgsql;

namespace MerchantPortal.Tests.Web;

/// <summary>
/// The app binary on PostgreSQL, started as operators start it, against the test command's
/// throwaway cluster: a working start, and the ways a server database can be unusable.
/// </summary>
public sealed class PostgreSqlStartupTests
{
    // The cluster trusts local logins, so any password is accepted; it is there to prove that no
    // line the app writes ever contains it.
    private const string Password = "pw-never-printed-7d1e";

    private static readonly Dictionary<string, string> OnPostgreSql = new() { ["Database__Provider"] = "PostgreSql" };

    [Fact]
    public async Task TheAppStartsOnPostgreSqlAndItsStartUpLineNamesProviderHostAndDatabaseButNotThePassword()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var cluster = PostgresTestDatabase.Cluster;
        var address = AppProcess.FreeLoopbackAddress();
        var output = new StringBuilder();
        var app = AppProcess.Start($"{database.ConnectionString};Password={Password}", ["--urls", address.ToString().TrimEnd('/')], output, OnPostgreSql);
        try
        {
            await AppProcess.WaitUntilServingAsync(app, address, output);

            // Development demo data was written to PostgreSQL and the merchant's dashboard reads it.
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address };
            using var login = await client.PostLoginAsync("merchant1@demo.local", PortalSignIn.DemoPassword);
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            var dashboard = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
            Assert.Contains("Demo Shop 1", dashboard, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"new-order-badge\"", dashboard, StringComparison.Ordinal);
        }
        finally
        {
            await AppProcess.StopAsync(app);
        }

        var log = AppProcess.Read(output);
        Assert.Contains($"Database PostgreSql at {cluster.Host}:{cluster.Port}, database {database.Name}: applying ", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, log, StringComparison.Ordinal);
    }

    public static TheoryData<string, bool> Failures => new()
    {
        { "closed port", false },
        { "unknown user", false },
        { "missing database", false },
        { "closed port", true },
        { "unknown user", true },
        { "missing database", true },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task AnUnusableServerDatabaseStopsTheAppAndItsCommandsWithOneLineSayingWhichAndWhere(string failure, bool command)
    {
        var cluster = PostgresTestDatabase.Cluster;
        var missing = PostgresTestDatabase.UniqueName();
        var (settings, reason) = failure switch
        {
            "closed port" => ClosedPort(cluster, missing),
            "unknown user" => (new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "postgres", Username = "no_such_role" },
                $"PostgreSQL refused the login of user no_such_role: role \"no_such_role\" does not exist (host {cluster.Host}, port {cluster.Port}, database postgres, user no_such_role)."),
            _ => (new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = missing },
                $"PostgreSQL database {missing} does not exist (host {cluster.Host}, port {cluster.Port}, database {missing}, user {cluster.Username}); create it first"),
        };
        settings.Password = Password;
        string[] line = command
            ? ["seed-orders", "--merchant", "Demo Shop 1", "--count", "3"]
            : ["--urls", "http://127.0.0.1:0"];

        var (exitCode, output) = await AppProcess.RunToExitAsync(settings.ConnectionString, line, OnPostgreSql);

        Assert.True(exitCode == 1, $"exit {exitCode}: {output}");
        Assert.Contains("MerchantPortal cannot start: " + reason, output, StringComparison.Ordinal);
        // One line: no stack trace, no second report of the same failure by EF or Npgsql.
        Assert.Single(output.Split('\n'), l => l.Contains("PostgreSQL", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
        // Nothing half-written: EF's migrator would have created the missing database.
        Assert.False(await PostgresTestDatabase.ExistsAsync(missing), "the app created the database it was told to use");
    }

    [Fact]
    public async Task AConnectionStringThatDoesNotParseStopsTheAppNamingTheSetting()
    {
        var (exitCode, output) = await AppProcess.RunToExitAsync($"Host=127.0.0.1;Prot=5432;Database=shop;Password={Password}", ["--urls", "http://127.0.0.1:0"], OnPostgreSql);

        Assert.True(exitCode == 1, $"exit {exitCode}: {output}");
        Assert.Contains("MerchantPortal cannot start: ConnectionStrings:MerchantPortal is not a valid PostgreSQL connection string: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on: taken from the OS, then released.</summary>
    private static (NpgsqlConnectionStringBuilder, string) ClosedPort(NpgsqlConnectionStringBuilder cluster, string database)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return (new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Host = "127.0.0.1", Port = port, Database = database },
            $"PostgreSQL server unreachable: Connection refused (host 127.0.0.1, port {port}, database {database}, user {cluster.Username}).");
    }
}
