using MerchantPortal.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace MerchantPortal.Tests.Data;

public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task MigrationsBuildTheWholeSchemaOnAnEmptyDatabase(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        Assert.True(await database.IsUntouchedAsync());

        await database.MigrateAsync();

        await using var db = database.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        var tables = await SchemaAsync(db, "table");
        Assert.Superset(new HashSet<string> { "Merchants", "Orders", "OrderChanges", "AspNetUsers", "AspNetRoles", "AspNetUserRoles" }, tables);
        Assert.Superset(new HashSet<string> { "TR_Orders_Inserted_Change", "TR_Orders_StatusChanged_Change" }, await SchemaAsync(db, "trigger"));
        // The model and the migrations agree: EF refuses to migrate with pending model changes,
        // and a query over every entity works against the migrated database.
        Assert.Equal(0, await db.Orders.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Users.CountAsync(TestContext.Current.CancellationToken));
    }

    // SQLite-only by nature: write-ahead logging is how a SQLite file lets the poller read while
    // a writer writes; PostgreSQL has no such per-database switch.
    [Fact]
    public async Task MigratedSqliteFileUsesWriteAheadLogging()
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();

        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task MigratingTwiceChangesNothing(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await database.MigrateAsync();

        await using var db = database.CreateDbContext();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("Oracle", "not a known database provider")]
    [InlineData("42", "not a known database provider")]
    public void UnsupportedProviderIsAClearError(string provider, string message)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = provider })
            .Build();

        var error = Assert.Throws<PortalDatabaseException>(() => PortalDataRegistration.DescribeDatabase(configuration, Path.GetTempPath()));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("Database:Provider", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeSqlitePathIsTakenFromTheContentRootAndItsFolderCreated()
    {
        var root = Directory.CreateTempSubdirectory("merchantportal-root-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();

            var database = PortalDataRegistration.DescribeDatabase(configuration, root);

            Assert.Equal(DatabaseProvider.Sqlite, database.Provider);
            Assert.Equal(Path.Combine(root, "App_Data", "merchantportal.db"), database.Location);
            Assert.True(Directory.Exists(Path.Combine(root, "App_Data")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void InMemorySqliteIsRefused()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:MerchantPortal"] = "Data Source=:memory:" })
            .Build();

        var error = Assert.Throws<PortalDatabaseException>(() => PortalDataRegistration.DescribeDatabase(configuration, Path.GetTempPath()));
        Assert.Contains("must name a SQLite file", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The names of the tables or triggers in the database's own catalogue.</summary>
    private static async Task<HashSet<string>> SchemaAsync(PortalDbContext db, string type)
    {
        var sql = (db.Database.IsSqlite(), type) switch
        {
            (true, "table") => "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'",
            (true, _) => "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'trigger'",
            (false, "table") => "SELECT table_name::text AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'",
            _ => "SELECT trigger_name::text AS \"Value\" FROM information_schema.triggers WHERE trigger_schema = 'public'",
        };
        return [.. await db.Database.SqlQueryRaw<string>(sql).ToListAsync(TestContext.Current.CancellationToken)];
    }
}
