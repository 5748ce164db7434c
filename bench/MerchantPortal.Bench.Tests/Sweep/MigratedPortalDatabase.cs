using MerchantPortal.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Bench.Tests.Sweep;

/// <summary>
/// A SQLite file the real app has migrated and given its roles, made once per test class; every test
/// works on its own copy. The app prepares the database before running any operator command, so a
/// create-merchant run (exits when done) yields the same file a start of the site would.
/// </summary>
public sealed class MigratedPortalDatabase : IAsyncLifetime
{
    /// <summary>The merchant the template's create-merchant run adds, besides the Development demo shops.</summary>
    public const string OtherMerchant = "Not A Bench Merchant";

    private readonly string _folder = Directory.CreateTempSubdirectory("merchantportal-prepare-db-").FullName;
    private int _copies;

    private string TemplatePath => Path.Combine(_folder, "template.db");

    public async ValueTask InitializeAsync()
    {
        var (exitCode, output) = await AppProcess.RunToExitAsync(ConnectionString(TemplatePath), ["create-merchant", "--name", OtherMerchant]);
        if (exitCode != 0 || !File.Exists(TemplatePath))
        {
            throw new InvalidOperationException($"The app could not migrate {TemplatePath} (exit {exitCode}):\n{output}");
        }
    }

    /// <summary>A fresh copy of the migrated file (with its write-ahead log, if the app left one).</summary>
    public string Copy()
    {
        var path = Path.Combine(_folder, $"copy{Interlocked.Increment(ref _copies)}.db");
        File.Copy(TemplatePath, path);
        if (File.Exists(TemplatePath + "-wal"))
        {
            File.Copy(TemplatePath + "-wal", path + "-wal");
        }

        return path;
    }

    /// <summary>An empty path in this fixture's folder, for files a test creates itself.</summary>
    public string NewPath(string name) => Path.Combine(_folder, name);

    /// <summary>Unpooled, so no connection outlives the test that opened it.</summary>
    public static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();

    /// <summary>The app's own model and provider settings over the given file, for reading back what was written.</summary>
    public static PortalDbContext OpenContext(string path)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDataRegistration.Configure(options, new PortalDatabase(DatabaseProvider.Sqlite, ConnectionString(path), path));
        return new PortalDbContext(options.Options);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }

        return ValueTask.CompletedTask;
    }
}
