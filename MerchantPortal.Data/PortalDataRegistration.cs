using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MerchantPortal.Data;

/// <summary>
/// The one place that knows the three providers: how each connection string is read and
/// described (<see cref="DescribeDatabase"/>) and which EF Core provider and migrations
/// assembly each uses (<see cref="Configure"/>). The model's one difference (SQLite's integer
/// cents) is in <see cref="PortalDbContext"/>; each provider's schema is in its own migrations.
/// </summary>
public static class PortalDataRegistration
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringName = "MerchantPortal";
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;
    public const string SqliteMigrationsAssembly = "MerchantPortal.Migrations.Sqlite";
    public const string PostgreSqlMigrationsAssembly = "MerchantPortal.Migrations.PostgreSql";
    public const string SqlServerMigrationsAssembly = "MerchantPortal.Migrations.SqlServer";

    /// <summary>
    /// Registers <see cref="PortalDbContext"/> (a factory for singletons such as the change
    /// poller, and a scoped context for Identity's stores) for the provider chosen by
    /// <c>Database:Provider</c>.
    /// </summary>
    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        // Described when first needed (start-up resolves it before anything else), not here: a bad
        // provider or connection string then stops the app with the same one-line start-up error
        // and exit code as an unreachable server, instead of an unhandled exception mid-registration.
        services.AddSingleton(_ => DescribeDatabase(configuration, contentRootPath));
        services.AddMetrics();
        services.AddSingleton<DatabaseCommandMetrics>();
        services.AddDbContextFactory<PortalDbContext>((sp, options) =>
        {
            Configure(options, sp.GetRequiredService<PortalDatabase>());
            options.AddInterceptors(sp.GetRequiredService<DatabaseCommandMetrics>());
        });
        return services;
    }

    /// <summary>
    /// Reads the provider and connection string. Throws <see cref="PortalDatabaseException"/>
    /// naming the setting for an unknown provider or a connection string that does not parse.
    /// </summary>
    public static PortalDatabase DescribeDatabase(IConfiguration configuration, string contentRootPath)
    {
        var providerName = configuration[ProviderKey];
        var provider = string.IsNullOrWhiteSpace(providerName) ? DatabaseProvider.Sqlite : ParseProvider(providerName);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        return provider switch
        {
            DatabaseProvider.Sqlite => SqliteDatabase(connectionString, contentRootPath),
            DatabaseProvider.PostgreSql => PostgreSqlDatabase(connectionString),
            DatabaseProvider.SqlServer => SqlServerDatabase(connectionString),
            _ => throw new PortalDatabaseException($"{ProviderKey} '{provider}' is not a known database provider."),
        };
    }

    public static void Configure(DbContextOptionsBuilder options, PortalDatabase database)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(database);
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(database.ConnectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
                break;
            case DatabaseProvider.PostgreSql:
                options.UseNpgsql(database.ConnectionString, npgsql => npgsql.MigrationsAssembly(PostgreSqlMigrationsAssembly));
                break;
            case DatabaseProvider.SqlServer:
                options.UseSqlServer(database.ConnectionString, sqlServer => sqlServer.MigrationsAssembly(SqlServerMigrationsAssembly));
                break;
            default:
                throw new PortalDatabaseException($"No EF Core provider is configured for {database.Provider}.");
        }

        // The app reports a failed connection itself: one line at start-up, once per outage in the
        // change poller. EF's own entry would repeat it, with a stack trace, on every attempt.
        options.ConfigureWarnings(warnings => warnings.Log((RelationalEventId.ConnectionError, LogLevel.Debug)));
    }

    private static DatabaseProvider ParseProvider(string value) =>
        Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new PortalDatabaseException(
                $"{ProviderKey} '{value}' is not a known database provider. Valid values: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.");

    private static PortalDatabase SqliteDatabase(string? connectionString, string contentRootPath)
    {
        var builder = Parse(() => new SqliteConnectionStringBuilder(connectionString ?? "Data Source=App_Data/merchantportal.db"), "SQLite");
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new PortalDatabaseException(
                $"{ConnectionStringKey} must name a SQLite file; an in-memory database would lose every order.");
        }

        // Relative paths are taken from the content root, not the process's working directory,
        // so `dotnet run` from anywhere finds the same file.
        builder.DataSource = Path.GetFullPath(builder.DataSource, contentRootPath);
        Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        // A writer waits this long for another writer's lock before giving up.
        if (builder.DefaultTimeout < 5)
        {
            builder.DefaultTimeout = 30;
        }

        return new PortalDatabase(DatabaseProvider.Sqlite, builder.ToString(), builder.DataSource);
    }

    private static PortalDatabase PostgreSqlDatabase(string? connectionString)
    {
        var builder = Parse(() => new NpgsqlConnectionStringBuilder(connectionString), "PostgreSQL");
        // Npgsql would default the database to the user's name; an explicit name avoids
        // migrating a database nobody meant.
        if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new PortalDatabaseException(
                $"{ConnectionStringKey} must name the PostgreSQL server and database, e.g. \"Host=db.example.com;Port=5432;Database=merchantportal;Username=portal;Password=...\".");
        }

        // Npgsql resets every pooled connection with DISCARD ALL when it goes back to the pool: a
        // round trip per DbContext, 42 % of the statements the server ran in the sweep (issue 16).
        // The app keeps no session state on pooled connections (no SET, temporary tables or
        // session locks; LISTEN has a connection of its own), so there is nothing to reset. An
        // operator's own "No Reset On Close" setting wins.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey(nameof(builder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }

        // Several hosts ("db1:5432,db2:5432") carry their own ports.
        var server = builder.Host.Contains(',', StringComparison.Ordinal) ? builder.Host : $"{builder.Host}:{builder.Port}";
        return new PortalDatabase(DatabaseProvider.PostgreSql, builder.ConnectionString, $"{server}, database {builder.Database}");
    }

    private static PortalDatabase SqlServerDatabase(string? connectionString)
    {
        var builder = Parse(() => new SqlConnectionStringBuilder(connectionString), "SQL Server");
        if (string.IsNullOrWhiteSpace(builder.DataSource) || string.IsNullOrWhiteSpace(builder.InitialCatalog))
        {
            throw new PortalDatabaseException(
                $"{ConnectionStringKey} must name the SQL Server and database, e.g. \"Server=tcp:db.example.com,1433;Database=MerchantPortal;User Id=portal;Password=...;Encrypt=True\".");
        }

        return new PortalDatabase(DatabaseProvider.SqlServer, builder.ConnectionString, $"{builder.DataSource}, database {builder.InitialCatalog}");
    }

    /// <summary>Builds a provider's connection-string builder; a string that does not parse is named as such.</summary>
    private static T Parse<T>(Func<T> build, string providerName)
    {
        try
        {
            return build();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The builders' messages name the keyword or value at fault, never the password's value.
            throw new PortalDatabaseException($"{ConnectionStringKey} is not a valid {providerName} connection string: {ex.Message}", ex);
        }
    }
}
