using MerchantPortal.Data;
using MerchantPortal.Admin;
using MerchantPortal.Alerts;
using MerchantPortal.Identity;
using MerchantPortal.Nodes;
using MerchantPortal.Orders;
using System.Security.Claims;
using MerchantPortal.Data.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// A real database with the app's own data and identity registrations on top: a SQLite file in
/// its own temporary folder (<c>new TestDatabase()</c>), or a fresh database on the test
/// command's PostgreSQL cluster (<see cref="CreateAsync"/>), so one test class can run over
/// both providers (<see cref="Providers"/>). Deleted or dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string? _filePath;
    private readonly PostgresTestDatabase? _postgres;

    /// <summary>A SQLite file.</summary>
    /// <param name="connectionOptions">Extra SQLite connection-string options, e.g. "Pooling=False".</param>
    /// <param name="configure">Extra registrations, e.g. an EF interceptor.</param>
    public TestDatabase(string? connectionOptions = null, Action<IServiceCollection>? configure = null)
    {
        Provider = DatabaseProvider.Sqlite;
        _folder = Directory.CreateTempSubdirectory("merchantportal-test-").FullName;
        _filePath = Path.Combine(_folder, "portal.db");
        ConnectionString = $"Data Source={_filePath}" + (connectionOptions is null ? "" : ";" + connectionOptions);
        Services = BuildServices(Settings, configure);
    }

    private TestDatabase(PostgresTestDatabase postgres, Action<IServiceCollection>? configure)
    {
        Provider = DatabaseProvider.PostgreSql;
        _postgres = postgres;
        ConnectionString = postgres.ConnectionString;
        Services = BuildServices(Settings, configure);
    }

    /// <summary>The providers that have an engine here (SQL Server has none): theory data for tests that run over each.</summary>
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    /// <summary>An empty database of this provider (not migrated yet).</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, Action<IServiceCollection>? configure = null) => provider switch
    {
        DatabaseProvider.Sqlite => new TestDatabase(configure: configure),
        DatabaseProvider.PostgreSql => new TestDatabase(await PostgresTestDatabase.CreateAsync(), configure),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "There is no engine for this provider on these machines."),
    };

    public DatabaseProvider Provider { get; }

    /// <summary>The SQLite file (SQLite only).</summary>
    public string FilePath => _filePath ?? throw new InvalidOperationException($"A {Provider} test database has no file.");

    public string ConnectionString { get; }

    public ServiceProvider Services { get; }

    public static ServiceProvider BuildServices(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        AddPortalServices(services, settings);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>The app's own registrations (data, identity, notifications, admin) for these settings.</summary>
    public static void AddPortalServices(IServiceCollection services, IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddPortalData(configuration, Path.GetTempPath());
        // A query whose First has no order and no filter may return any row: EF only logs that
        // (the soak found one in the app's log); every test that reads through the app's
        // queries fails on it instead.
        services.ConfigureDbContext<PortalDbContext>(options =>
            options.ConfigureWarnings(warnings => warnings.Throw(CoreEventId.FirstWithoutOrderByAndFilterWarning)));
        services.AddPortalNodes(configuration);
        services.AddPortalAlerts(configuration);
        services.AddPortalIdentity(configuration);
        services.AddOrderNotifications(configuration);
        services.AddPortalAdmin();
    }

    /// <summary>The settings <see cref="Services"/> was built from.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:MerchantPortal"] = ConnectionString,
    };

    public async Task MigrateAsync() =>
        await Services.MigratePortalDatabaseAsync(Services.GetRequiredService<ILoggerFactory>().CreateLogger("test"));

    /// <summary>The principal the app's sign-in would put in the cookie for this user.</summary>
    public async Task<ClaimsPrincipal> PrincipalForAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>().CreateAsync(user);
    }

    /// <summary>The app's circuit authentication state provider, as a circuit scope would get it.</summary>
    public PortalAuthenticationStateProvider CircuitAuthentication() =>
        (PortalAuthenticationStateProvider)Services.CreateScope().ServiceProvider.GetRequiredService<AuthenticationStateProvider>();

    public PortalDbContext CreateDbContext() =>
        Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    /// <summary>
    /// A context on this database outside the app's service provider, as another writer would
    /// have: its own connections, and its commands not counted by the app's command metric.
    /// </summary>
    public PortalDbContext CreateOutsideContext()
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDataRegistration.Configure(options, new PortalDatabase(Provider, ConnectionString, "test"));
        return new PortalDbContext(options.Options);
    }

    /// <summary>
    /// True while nothing has created or written this database: no SQLite file, or a PostgreSQL
    /// database without a single table (it is created empty; only the app would add tables).
    /// </summary>
    public async Task<bool> IsUntouchedAsync()
    {
        if (_postgres is null)
        {
            return !File.Exists(FilePath);
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        return (long)(await command.ExecuteScalarAsync())! == 0;
    }

    /// <summary>The environment an app process needs to use this database (with <see cref="ConnectionString"/>).</summary>
    public Dictionary<string, string> AppEnvironment(IDictionary<string, string>? more = null)
    {
        var environment = new Dictionary<string, string> { ["Database__Provider"] = Provider.ToString() };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
            return;
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder!, recursive: true);
        }
        catch (IOException)
        {
            // A process under test may still hold the file for a moment; the OS temp cleaner gets it.
        }
    }
}
