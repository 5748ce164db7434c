using System.Net.Sockets;
using Npgsql;

namespace MerchantPortal.Data;

/// <summary>
/// Turns a failed connection into one line an operator can act on: which failure (server
/// unreachable, login refused, wrong password, no such database) and where (host, port,
/// database, user; never the password). Null when the exception is not one of those, so the
/// caller keeps its own message.
/// </summary>
/// <remarks>
/// PostgreSQL only for now: its failures are exercised against a real cluster in the tests.
/// SQL Server's (SqlException numbers) would belong here too, once an engine can prove them.
/// </remarks>
public static class DatabaseConnectionErrors
{
    public static string? Describe(PortalDatabase database, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Provider == DatabaseProvider.PostgreSql ? DescribePostgreSql(database, exception) : null;
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
