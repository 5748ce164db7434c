using MerchantPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;

namespace MerchantPortal.Migrations.Design;

/// <summary>
/// Lets `dotnet ef` build the model without starting the web app. The provider comes from
/// `--provider` (default Sqlite); the connection string only matters for `database update`.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [PortalDataRegistration.ProviderKey] = "Sqlite",
                [$"ConnectionStrings:{PortalDataRegistration.ConnectionStringName}"] = "Data Source=design-time.db",
            })
            .AddCommandLine(args)
            .Build();
        var database = PortalDataRegistration.DescribeDatabase(configuration, Path.GetTempPath());
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDataRegistration.Configure(options, database);
        return new PortalDbContext(options.Options);
    }
}
