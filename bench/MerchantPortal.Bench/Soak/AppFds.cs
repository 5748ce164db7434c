namespace MerchantPortal.Bench.Soak;

/// <summary>
/// The app's open file descriptors from /proc/[pid]/fd, with those on its SQLite file (database, -wal,
/// -shm, -journal) counted apart: those are Microsoft.Data.Sqlite's connection pool, which grows with
/// the busiest moment and closes idle connections only after minutes, so they say how busy the app was,
/// not what churn leaked. Assemblies and native libraries (.dll, .so) are counted apart too: the runtime
/// opens one the first time a code path needs it and never closes it, so a path first taken during the
/// churn adds one for the process's life. Sockets, pipes and every other file must come back to their start.
/// </summary>
public readonly record struct AppFds(int Total, int Database, int Code, int Sockets)
{
    public int Other => Total - Database - Code;

    public override string ToString() => $"{Total} ({Database} on the database, {Code} assemblies, {Other} other of which {Sockets} sockets)";

    public static AppFds? Read(int pid, string databasePath)
    {
        var database = Path.GetFullPath(databasePath);
        try
        {
            var total = 0;
            var onDatabase = 0;
            var sockets = 0;
            var code = 0;
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                total++;
                // A file replaced on disk since it was opened (a rebuild during the run) reads "path (deleted)".
                var target = (new FileInfo(fd).LinkTarget ?? "").Replace(" (deleted)", "", StringComparison.Ordinal);
                onDatabase += target.StartsWith(database, StringComparison.Ordinal) ? 1 : 0;
                sockets += target.StartsWith("socket:", StringComparison.Ordinal) ? 1 : 0;
                code += target.EndsWith(".dll", StringComparison.Ordinal) || target.EndsWith(".so", StringComparison.Ordinal) ? 1 : 0;
            }

            return new AppFds(total, onDatabase, code, sockets);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
