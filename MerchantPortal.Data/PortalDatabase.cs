namespace MerchantPortal.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <param name="Location">Where the data lives, for logs (a file path; never a password).</param>
public sealed record PortalDatabase(DatabaseProvider Provider, string ConnectionString, string Location)
{
    public override string ToString() => $"{Provider} at {Location}";
}
