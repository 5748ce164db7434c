using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Data;

public static class PortalDataRegistration
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringName = "MerchantPortal";
    public const string SqliteMigrationsAssembly = "MerchantPortal.Migrations.Sqlite";

    /// <summary>
    /// Registers <see cref="PortalDbContext"/> (a factory for singletons such as the change
    /// poller, and a scoped context for Identity's stores) for the provider chosen by
    /// <c>Database:Provider</c>. Throws a readable error for an unknown provider.
    /// </summary>
    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        var database = DescribeDatabase(configuration, contentRootPath);
        services.AddSingleton(database);
        services.AddMetrics();
        services.AddSingleton<DatabaseCommandMetrics>();
        services.AddDbContextFactory<PortalDbContext>((sp, options) =>
        {
            Configure(options, database);
            options.AddInterceptors(sp.GetRequiredService<DatabaseCommandMetrics>());
        });
        return services;
    }

    public static PortalDatabase DescribeDatabase(IConfiguration configuration, string contentRootPath)
    {
        var providerName = configuration[ProviderKey];
        var provider = string.IsNullOrWhiteSpace(providerName) ? DatabaseProvider.Sqlite : ParseProvider(providerName);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        return provider switch
        {
            DatabaseProvider.Sqlite => SqliteDatabase(connectionString, contentRootPath),
            _ => throw new InvalidOperationException(
                $"{ProviderKey} '{provider}' is recognised but not available in this build yet; use 'Sqlite'."),
        };
    }

    public static void Configure(DbContextOptionsBuilder options, PortalDatabase database)
    {
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(database.ConnectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
                break;
            default:
                throw new InvalidOperationException($"No EF Core provider is configured for {database.Provider}.");
        }
    }

    private static DatabaseProvider ParseProvider(string value) =>
        Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException(
                $"{ProviderKey} '{value}' is not a known database provider. Valid values: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.");

    private static PortalDatabase SqliteDatabase(string? connectionString, string contentRootPath)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString ?? "Data Source=App_Data/merchantportal.db");
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} must name a SQLite file; an in-memory database would lose every order.");
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
}
