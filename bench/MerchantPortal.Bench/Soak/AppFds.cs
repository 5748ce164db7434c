namespace MerchantPortal.Bench.Soak;

/// <summary>
/// The app's open file descriptors from /proc/[pid]/fd, with those on its SQLite file (database, -wal,
/// -shm, -journal) counted apart: those are Microsoft.Data.Sqlite's connection pool, which grows with
/// the busiest moment and closes idle connections only after minutes, so they say how busy the app was,
/// not what churn leaked. Sockets, pipes and every other file must come back to their start.
/// </summary>
public readonly record struct AppFds(int Total, int Database)
{
    public int Other => Total - Database;

    public override string ToString() => $"{Total} ({Database} on the database, {Other} other)";

    public static AppFds? Read(int pid, string databasePath)
    {
        var database = Path.GetFullPath(databasePath);
        try
        {
            var total = 0;
            var onDatabase = 0;
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                total++;
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(database, StringComparison.Ordinal))
                {
                    onDatabase++;
                }
            }

            return new AppFds(total, onDatabase);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
