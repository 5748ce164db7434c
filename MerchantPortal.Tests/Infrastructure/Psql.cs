using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>PostgreSQL's own psql in its own process: a writer that is neither the app nor .NET.</summary>
public static class Psql
{
    /// <summary>The newest PostgreSQL's binaries (psql, initdb, pg_ctl) that the test command installs.</summary>
    public static string ServerBin { get; } = PostgresCluster.ServerBin
        ?? throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql; run the suite with `bash .ci/test`, which installs them.");

    public static async Task<(int ExitCode, string Output)> RunAsync(string connectionString, string sql)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var psql = Path.Combine(ServerBin, "psql");
        var start = new ProcessStartInfo(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", settings.Host!,
            "-p", settings.Port.ToString(CultureInfo.InvariantCulture), "-U", settings.Username!, "-d", settings.Database!, "-c", sql])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>One New order for the merchant of that name, numbered after its last one.</summary>
    public static string InsertOrderSql(string merchantName, string customer) => $"""
        INSERT INTO "Orders" ("MerchantId", "Number", "CustomerName", "Total", "Currency", "ItemCount", "Status", "CreatedAt", "StatusChangedAt")
        SELECT m."Id", COALESCE((SELECT MAX(o."Number") FROM "Orders" AS o WHERE o."MerchantId" = m."Id"), 0) + 1,
               {Literal(customer)}, 12.50, 'EUR', 1, 0, now(), now()
        FROM "Merchants" AS m WHERE m."Name" = {Literal(merchantName)}
        """;

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
