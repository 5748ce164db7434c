using MerchantPortal.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace MerchantPortal.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public async Task MigrationsBuildTheWholeSchemaOnAnEmptyFile()
    {
        await using var database = new TestDatabase();
        Assert.False(File.Exists(database.FilePath));

        await database.MigrateAsync();

        await using var db = database.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        var tables = await Tables(database.ConnectionString);
        Assert.Superset(new HashSet<string> { "Merchants", "Orders", "OrderChanges", "AspNetUsers", "AspNetRoles", "AspNetUserRoles" }, tables);
        Assert.Superset(new HashSet<string> { "TR_Orders_Inserted_Change", "TR_Orders_StatusChanged_Change" }, await Tables(database.ConnectionString, "trigger"));
        // The model and the migrations agree: EF refuses to migrate with pending model changes,
        // and a query over every entity works against the migrated file.
        Assert.Equal(0, await db.Orders.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Users.CountAsync(TestContext.Current.CancellationToken));
    }

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

    [Fact]
    public async Task MigratingTwiceChangesNothing()
    {
        await using var database = new TestDatabase();
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

    private static async Task<HashSet<string>> Tables(string connectionString, string type = "table")
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = $type";
        command.Parameters.AddWithValue("$type", type);
        var tables = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
