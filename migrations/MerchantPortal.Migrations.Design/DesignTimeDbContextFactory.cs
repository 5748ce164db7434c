using MerchantPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;

namespace MerchantPortal.Migrations.Design;

/// <summary>
/// Lets `dotnet ef` build the model without starting the web app. The provider comes from the
/// arguments after `--` (`-- --Database:Provider=PostgreSql`; default Sqlite), the same key the
/// app reads. The connection string only matters for `database update`
/// (`-- --ConnectionStrings:MerchantPortal=...`); otherwise a placeholder for the provider is used.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    private static readonly Dictionary<DatabaseProvider, string> Placeholders = new()
    {
        [DatabaseProvider.Sqlite] = "Data Source=design-time.db",
        [DatabaseProvider.PostgreSql] = "Host=localhost;Database=merchantportal",
        [DatabaseProvider.SqlServer] = "Server=localhost;Database=MerchantPortal",
    };

    public PortalDbContext CreateDbContext(string[] args)
    {
        var arguments = new ConfigurationBuilder().AddCommandLine(args).Build();
        var provider = Enum.TryParse<DatabaseProvider>(arguments[PortalDataRegistration.ProviderKey], ignoreCase: true, out var chosen) && Enum.IsDefined(chosen)
            ? chosen
            : DatabaseProvider.Sqlite;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [PortalDataRegistration.ProviderKey] = provider.ToString(),
                [PortalDataRegistration.ConnectionStringKey] = Placeholders[provider],
            })
            .AddCommandLine(args)
            .Build();
        var database = PortalDataRegistration.DescribeDatabase(configuration, Path.GetTempPath());
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDataRegistration.Configure(options, database);
        return new PortalDbContext(options.Options);
    }
}
