using System.Text;
using MerchantPortal.Data.Users;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Web;

/// <summary>The app binary started as operators start it: commands, bad configuration.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task CreateAdminCommandCreatesAnAdminAndExitsZero()
    {
        await using var database = new TestDatabase();

        var (exitCode, output) = await PortalApp.RunCommandAsync(database.ConnectionString, "create-admin", "--email", "ops@test.local", "--password", "Ops!Pass123");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Created admin ops@test.local", output, StringComparison.Ordinal);
        await using var scope = database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var admin = await users.FindByEmailAsync("ops@test.local");
        Assert.NotNull(admin);
        Assert.True(await users.IsInRoleAsync(admin, PortalRoles.Admin));
    }

    [Theory]
    [InlineData("create-admin", "--email", "ops@test.local")]
    [InlineData("create-admin", "--email", "ops@test.local", "--password", "short")]
    [InlineData("create-admin", "--email", "admin@demo.local", "--password", "Another!Pass1")]
    public async Task CreateAdminCommandRejectsBadInputWithExitCodeTwo(params string[] args)
    {
        await using var database = new TestDatabase();

        var (exitCode, output) = await PortalApp.RunCommandAsync(database.ConnectionString, args);

        Assert.True(exitCode == 2, output);
        Assert.DoesNotContain("Created admin", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidPollIntervalStopsTheAppNamingTheSetting()
    {
        await using var database = new TestDatabase();
        var output = new StringBuilder();
        using var process = PortalApp.StartApp(database.ConnectionString, ["--urls", "http://127.0.0.1:0"], output,
            new Dictionary<string, string> { ["OrderNotifications__PollInterval"] = "00:00:00" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit();

        Assert.NotEqual(0, process.ExitCode);
        lock (output)
        {
            Assert.Contains("PollInterval", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownDatabaseProviderStopsTheAppWithAReadableError()
    {
        var output = new StringBuilder();
        using var process = PortalApp.StartApp("Data Source=unused.db", ["--urls", "http://127.0.0.1:0"], output,
            new Dictionary<string, string> { ["Database__Provider"] = "Oracle" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit();

        Assert.NotEqual(0, process.ExitCode);
        lock (output)
        {
            Assert.Contains("Database:Provider 'Oracle' is not a known database provider", output.ToString(), StringComparison.Ordinal);
        }
    }
}
