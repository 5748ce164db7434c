using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;

namespace MerchantPortal.Tests.Data;

/// <summary>
/// What each provider's configuration, model and migrations are, checked without connecting:
/// the only checks SQL Server gets here, since no engine for it runs on these machines.
/// </summary>
public sealed class DatabaseProviderTests
{
    private const string Secret = "s3cret-never-shown";

    public static TheoryData<DatabaseProvider, string, string> Locations => new()
    {
        { DatabaseProvider.PostgreSql, $"Host=db.example.com;Port=6432;Database=shop;Username=portal;Password={Secret}", "PostgreSql at db.example.com:6432, database shop" },
        { DatabaseProvider.PostgreSql, $"Host=db.example.com;Database=shop;Password={Secret}", "PostgreSql at db.example.com:5432, database shop" },
        { DatabaseProvider.PostgreSql, $"Host=db1:5432,db2:5433;Database=shop;Password={Secret}", "PostgreSql at db1:5432,db2:5433, database shop" },
        { DatabaseProvider.SqlServer, $"Server=tcp:sql.example.com,1433;Database=Shop;User Id=portal;Password={Secret};Encrypt=True", "SqlServer at tcp:sql.example.com,1433, database Shop" },
    };

    [Theory]
    [MemberData(nameof(Locations))]
    public void AServerDatabaseIsDescribedByProviderServerAndDatabaseNeverThePassword(DatabaseProvider provider, string connectionString, string described)
    {
        var database = PortalDataRegistration.DescribeDatabase(Configuration(provider, connectionString), Path.GetTempPath());

        Assert.Equal(provider, database.Provider);
        Assert.Equal(described, database.ToString());
        Assert.DoesNotContain(Secret, database.Location, StringComparison.Ordinal);
    }

    public static TheoryData<DatabaseProvider, string, string> BadConnectionStrings => new()
    {
        { DatabaseProvider.PostgreSql, $"Host=db.example.com;Prot=5432;Database=shop;Password={Secret}", "ConnectionStrings:MerchantPortal is not a valid PostgreSQL connection string: " },
        { DatabaseProvider.PostgreSql, $"Host=db.example.com;Port=fifty;Database=shop;Password={Secret}", "ConnectionStrings:MerchantPortal is not a valid PostgreSQL connection string: " },
        { DatabaseProvider.PostgreSql, $"Host=db.example.com;Password={Secret}", "ConnectionStrings:MerchantPortal must name the PostgreSQL server and database" },
        // The app's default SQLite string, left in place when only the provider was switched.
        { DatabaseProvider.PostgreSql, "Data Source=App_Data/merchantportal.db", "ConnectionStrings:MerchantPortal " },
        { DatabaseProvider.SqlServer, $"Server=sql.example.com;Colour=blue;Database=Shop;Password={Secret}", "ConnectionStrings:MerchantPortal is not a valid SQL Server connection string: " },
        { DatabaseProvider.SqlServer, $"Server=sql.example.com;Password={Secret}", "ConnectionStrings:MerchantPortal must name the SQL Server and database" },
    };

    [Theory]
    [MemberData(nameof(BadConnectionStrings))]
    public void AConnectionStringThatDoesNotSuitTheProviderIsNamedAsSuch(DatabaseProvider provider, string connectionString, string message)
    {
        var error = Assert.Throws<PortalDatabaseException>(() => PortalDataRegistration.DescribeDatabase(Configuration(provider, connectionString), Path.GetTempPath()));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("Host=db.example.com;Database=shop", true)]
    [InlineData("Host=db.example.com;Database=shop;No Reset On Close=false", false)]
    [InlineData("Host=db.example.com;Database=shop;NoResetOnClose=false", false)]
    public void PostgreSqlConnectionsGoBackToThePoolWithoutDiscardAllUnlessTheOperatorSaysOtherwise(string connectionString, bool noReset)
    {
        var database = PortalDataRegistration.DescribeDatabase(Configuration(DatabaseProvider.PostgreSql, connectionString), Path.GetTempPath());

        Assert.Equal(noReset, new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).NoResetOnClose);
    }

    public static TheoryData<DatabaseProvider> AllProviders => [.. Enum.GetValues<DatabaseProvider>()];

    [Theory]
    [MemberData(nameof(AllProviders))]
    public void EachProvidersMigrationsMatchTheModelAndStartWithInitial(DatabaseProvider provider)
    {
        using var db = Context(provider);

        // EF refuses to migrate when the model has changed since the last migration's snapshot.
        Assert.False(db.Database.HasPendingModelChanges(), $"{provider}: the model has changes no migration covers; add one (README, Migrations).");
        Assert.EndsWith("_Initial", db.Database.GetMigrations().First(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "INTEGER")]
    [InlineData(DatabaseProvider.PostgreSql, "numeric(18,2)")]
    [InlineData(DatabaseProvider.SqlServer, "decimal(18,2)")]
    public void OrderTotalsAreANativeDecimalOnServerDatabasesAndWholeCentsOnSqlite(DatabaseProvider provider, string columnType)
    {
        using var db = Context(provider);

        var total = db.Model.FindEntityType(typeof(Order))!.FindProperty(nameof(Order.Total))!;

        Assert.Equal(columnType, total.GetColumnType());
        Assert.Equal(provider == DatabaseProvider.Sqlite, total.GetValueConverter() is not null);
    }

    [Theory]
    [InlineData(DatabaseProvider.SqlServer, "CREATE TABLE [Orders]", "[Total] decimal(18,2) NOT NULL", "IF NOT EXISTS (")]
    [InlineData(DatabaseProvider.PostgreSql, "CREATE TABLE \"Orders\"", "\"Total\" numeric(18,2) NOT NULL", "IF NOT EXISTS(")]
    public void TheIdempotentMigrationScriptIsGeneratedInProcessWithoutAnEngine(DatabaseProvider provider, string createsOrders, string totalColumn, string guard)
    {
        using var db = Context(provider);

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains(createsOrders, script, StringComparison.Ordinal);
        Assert.Contains(totalColumn, script, StringComparison.Ordinal);
        Assert.Contains("__EFMigrationsHistory", script, StringComparison.Ordinal);
        // Idempotent: every migration is guarded by a look-up of its id in the history table.
        foreach (var migration in db.Database.GetMigrations())
        {
            Assert.Contains($"'{migration}'", script, StringComparison.Ordinal);
        }

        Assert.Contains(guard, script, StringComparison.Ordinal);
    }

    /// <summary>A context for the provider, built as the app builds it, that never connects.</summary>
    private static PortalDbContext Context(DatabaseProvider provider)
    {
        var connectionString = provider switch
        {
            DatabaseProvider.Sqlite => "Data Source=" + Path.Combine(Path.GetTempPath(), "never-opened.db"),
            DatabaseProvider.PostgreSql => "Host=localhost;Database=never_opened",
            _ => "Server=localhost;Database=NeverOpened",
        };
        var database = PortalDataRegistration.DescribeDatabase(Configuration(provider, connectionString), Path.GetTempPath());
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDataRegistration.Configure(options, database);
        return new PortalDbContext(options.Options);
    }

    private static IConfiguration Configuration(DatabaseProvider provider, string connectionString) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [PortalDataRegistration.ProviderKey] = provider.ToString(),
                [PortalDataRegistration.ConnectionStringKey] = connectionString,
            })
            .Build();
}
