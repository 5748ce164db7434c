using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Npgsql;

namespace MerchantPortal.Data;

/// <summary>
/// Turns a failed connection into one line an operator can act on: which failure (server
/// unreachable, login refused, wrong password, no such database) and where (host, port,
/// database, user; never the password). Null when the exception is not one of those, so the
/// caller keeps its own message.
/// </summary>
/// <remarks>
/// PostgreSQL's failures are exercised against a real cluster in the tests. Of SQL Server's, only
/// an unreachable server can be proven here (no engine runs on these machines); the login and
/// database numbers follow SQL Server's documented errors 18456 and 4060.
/// </remarks>
public static class DatabaseConnectionErrors
{
    public static string? Describe(PortalDatabase database, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Provider switch
        {
            DatabaseProvider.PostgreSql => DescribePostgreSql(database, exception),
            DatabaseProvider.SqlServer => DescribeSqlServer(database, exception),
            _ => null,
        };
    }

    private static string? DescribeSqlServer(PortalDatabase database, Exception exception)
    {
        var settings = new SqlConnectionStringBuilder(database.ConnectionString);
        var user = settings.IntegratedSecurity ? "integrated security" : settings.UserID;
        var where = $"server {settings.DataSource}, database {settings.InitialCatalog}, user {user}";
        return Find<SqlException>(exception) switch
        {
            { Number: 18456 } =>
                $"SQL Server refused the login of user {user} (wrong password or unknown login) ({where}).",
            { Number: 4060 } =>
                $"SQL Server database {settings.InitialCatalog} does not exist or user {user} may not open it ({where}); create it first: the app creates its tables, not the database.",
            { Number: -2 } =>
                $"SQL Server did not answer within {settings.ConnectTimeout} s ({where}).",
            // Network failures come with the class of a fatal connection error and the OS or
            // SNI error number (10061 refused, 11001 unknown host, 53 and 40 not found...).
            { Class: >= 20 } or { Number: 2 or 40 or 53 or 10060 or 10061 or 11001 } =>
                $"SQL Server unreachable ({where}).",
            _ => null,
        };
    }

    private static string? DescribePostgreSql(PortalDatabase database, Exception exception)
    {
        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        // Npgsql logs in as the operating-system user when the connection string names none.
        var user = string.IsNullOrEmpty(settings.Username) ? Environment.UserName : settings.Username;
        var where = $"host {settings.Host}, port {settings.Port}, database {settings.Database}, user {user}";
        return Find<PostgresException>(exception) switch
        {
            { SqlState: PostgresErrorCodes.InvalidPassword } =>
                $"PostgreSQL rejected the password of user {user} ({where}).",
            // Under trust or peer authentication an unknown role is reported here, not as a wrong password.
            { SqlState: PostgresErrorCodes.InvalidAuthorizationSpecification } server =>
                $"PostgreSQL refused the login of user {user}: {server.MessageText} ({where}).",
            { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                $"PostgreSQL database {settings.Database} does not exist ({where}); create it first: the app creates its tables, not the database.",
            { SqlState: PostgresErrorCodes.CannotConnectNow } server =>
                $"PostgreSQL is not accepting connections yet: {server.MessageText} ({where}).",
            null when Find<SocketException>(exception) is { } socket =>
                $"PostgreSQL server unreachable: {socket.Message} ({where}).",
            null when exception is NpgsqlException && Find<TimeoutException>(exception) is not null =>
                $"PostgreSQL server did not answer within {settings.Timeout} s ({where}).",
            _ => null,
        };
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }
}
