namespace MerchantPortal.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}

/// <param name="Location">
/// Where the data lives, for logs and messages: a file path (SQLite), or server and database
/// ("127.0.0.1:5432, database portal"). Never the password, so it can be logged anywhere.
/// </param>
public sealed record PortalDatabase(DatabaseProvider Provider, string ConnectionString, string Location)
{
    // The connection string stays out of ToString (a record would print it, password and all).
    public override string ToString() => $"{Provider} at {Location}";
}

/// <summary>
/// The database cannot be used, and the message says why and where in one line (no password),
/// e.g. a connection string that does not parse or a server that cannot be reached. The app
/// logs the message alone: a stack trace would add nothing an operator can act on.
/// </summary>
public sealed class PortalDatabaseException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);
