namespace MerchantPortal.Bench.Sweep;

/// <summary>The database a sweep run's app uses; the text form ("sqlite", "postgres") is the one on the command line and in the results.</summary>
public enum SweepDatabase
{
    Sqlite,
    Postgres,
}

public static class SweepDatabases
{
    public static string Name(this SweepDatabase database) => database == SweepDatabase.Postgres ? "postgres" : "sqlite";

    public static bool TryParse(string text, out SweepDatabase database)
    {
        database = text == "postgres" ? SweepDatabase.Postgres : SweepDatabase.Sqlite;
        return text is "sqlite" or "postgres";
    }
}
