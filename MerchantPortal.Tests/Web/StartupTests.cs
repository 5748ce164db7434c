using MerchantPortal.Data;
using MerchantPortal.Data.Users;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Web;

/// <summary>A configuration no database can help: which provider is asked for.</summary>
public sealed class StartupConfigurationTests
{
    [Fact]
    public async Task UnknownDatabaseProviderStopsTheAppWithAReadableError()
    {
        var (exitCode, output) = await PortalApp.RunToExitAsync("Data Source=unused.db", ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["Database__Provider"] = "Oracle" });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Database:Provider 'Oracle' is not a known database provider", output, StringComparison.Ordinal);
    }
}

/// <summary>The app on SQLite, with the start-up failure only a SQLite file can have.</summary>
public sealed class StartupOnSqlite() : StartupTests(DatabaseProvider.Sqlite)
{
    // SQLite-only by nature: a file that is not a database. PostgreSqlStartupTests covers the
    // ways a PostgreSQL database can be unusable (closed port, unknown user, missing database).
    [Fact]
    public async Task ADatabaseThatCannotBeMigratedStopsTheAppWithAReadableError()
    {
        await using var database = new TestDatabase();
        await File.WriteAllTextAsync(database.FilePath, "this is not a SQLite database, just text long enough to have a header", TestContext.Current.CancellationToken);

        var (exitCode, output) = await PortalApp.RunToExitAsync(database, ["--urls", "http://127.0.0.1:0"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("MerchantPortal cannot start: Could not migrate the database (Sqlite at " + database.FilePath, output, StringComparison.Ordinal);
    }
}

public sealed class StartupOnPostgreSql() : StartupTests(DatabaseProvider.PostgreSql);

/// <summary>The app binary started as operators start it, over each provider: commands, bad configuration.</summary>
public abstract class StartupTests(DatabaseProvider provider)
{
    [Fact]
    public async Task CreateAdminCommandCreatesAnAdminAndExitsZero()
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var (exitCode, output) = await PortalApp.RunCommandAsync(database, "create-admin", "--email", "ops@test.local", "--password", "Ops!Pass123");

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
        await using var database = await TestDatabase.CreateAsync(provider);

        var (exitCode, output) = await PortalApp.RunCommandAsync(database, args);

        Assert.True(exitCode == 2, output);
        Assert.DoesNotContain("Created admin", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedOrdersCommandCreatesABatchAndSaysWhichNumbers()
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var (exitCode, output) = await PortalApp.RunCommandAsync(database, "seed-orders", "--merchant", "Demo Shop 1", "--count", "3");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Created 3 orders for Demo Shop 1: #25–#27.", output, StringComparison.Ordinal);
        await using var db = database.CreateDbContext();
        Assert.Equal(27, await db.Orders.CountAsync(o => o.Merchant!.Name == "Demo Shop 1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MerchantAndUserCommandsCreateAShopItsUserAndLogBoth()
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var merchant = await PortalApp.RunCommandAsync(database, "create-merchant", "--name", "Night Market");
        var user = await PortalApp.RunCommandAsync(database, "create-user", "--merchant", "Night Market", "--email", "owner@night.test", "--password", "Owner!Pass1");

        Assert.True(merchant.ExitCode == 0, merchant.Output);
        Assert.Contains("Created merchant Night Market", merchant.Output, StringComparison.Ordinal);
        Assert.True(user.ExitCode == 0, user.Output);
        await using var db = database.CreateDbContext();
        var owner = await db.Users.Include(u => u.Merchant).SingleAsync(u => u.Email == "owner@night.test", TestContext.Current.CancellationToken);
        Assert.Equal("Night Market", owner.Merchant!.Name);
        var actions = await db.Activity.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["Created merchant", "Created user"], actions);
        Assert.All(await db.Activity.ToListAsync(TestContext.Current.CancellationToken), e => Assert.StartsWith("command line (", e.Actor, StringComparison.Ordinal));
    }

    public static TheoryData<string[], string> BadCommands => new()
    {
        { ["seed-orders", "--merchant", "Demo Shop 1", "--count", "0"], "Count must be from 1 to 1000" },
        { ["seed-orders", "--merchant", "Demo Shop 1", "--count", "1001"], "Count must be from 1 to 1000" },
        { ["seed-orders", "--merchant", "Demo Shop 1", "--count", "many"], "Count must be a whole number" },
        { ["seed-orders", "--merchant", "Atlantis", "--count", "3"], "Unknown merchant 'Atlantis'" },
        { ["seed-orders", "--merchant", "Demo Shop 1", "--count", "3", "--spread", "soon"], "Spread must look like 30s" },
        { ["seed-orders", "--count", "3"], "Missing --merchant" },
        { ["seed-orders", "--merchant"], "Usage: seed-orders" },
        { ["create-merchant", "--name", "Demo Shop 2"], "already exists" },
        { ["create-merchant", "--name", " "], "Merchant name is required" },
        { ["create-user", "--merchant", "Demo Shop 1", "--email", "x@test.local", "--password", "weak"], "at least 8 characters" },
        { ["create-user", "--merchant", "Atlantis", "--email", "x@test.local", "--password", "Strong!Pass1"], "Unknown merchant" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task BadCommandInputExitsTwoWithAMessageAndWritesNothing(string[] args, string message)
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var (exitCode, output) = await PortalApp.RunCommandAsync(database, args);

        Assert.True(exitCode == 2, $"exit {exitCode}: {output}");
        Assert.Contains(message, output, StringComparison.Ordinal);
        if (!await database.IsUntouchedAsync())
        {
            await using var db = database.CreateDbContext();
            Assert.Equal(48, await db.Orders.CountAsync(TestContext.Current.CancellationToken));
            Assert.Equal(2, await db.Merchants.CountAsync(TestContext.Current.CancellationToken));
            Assert.Equal(0, await db.Activity.CountAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task OutsideDevelopmentThereIsNoDemoDataAndTheFirstAdminComesFromConfiguration()
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var (exitCode, output) = await PortalApp.RunToExitAsync(database, ["create-merchant", "--name", "First Shop"],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Bootstrap__AdminEmail"] = "root@prod.test",
                ["Bootstrap__AdminPassword"] = "Prod!Pass123",
            });

        Assert.True(exitCode == 0, output);
        await using var db = database.CreateDbContext();
        Assert.Equal(["root@prod.test"], await db.Users.Select(u => u.Email!).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["First Shop"], await db.Merchants.Select(m => m.Name).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Orders.CountAsync(TestContext.Current.CancellationToken));
        await using var scope = database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var admin = (await users.FindByEmailAsync("root@prod.test"))!;
        Assert.True(await users.IsInRoleAsync(admin, PortalRoles.Admin));
        Assert.True(await users.CheckPasswordAsync(admin, "Prod!Pass123"));
    }

    [Fact]
    public async Task OutsideDevelopmentWithoutAnAdminTheLogSaysHowToCreateOne()
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var (exitCode, output) = await PortalApp.RunToExitAsync(database, ["create-merchant", "--name", "First Shop"],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        Assert.True(exitCode == 0, output);
        Assert.Contains("No admin account exists", output, StringComparison.Ordinal);
        Assert.Contains("create-admin --email", output, StringComparison.Ordinal);
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.Users.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnInvalidPollIntervalStopsTheAppNamingTheSetting()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (exitCode, output) = await PortalApp.RunToExitAsync(database, ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["OrderNotifications__PollInterval"] = "00:00:00" });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("PollInterval", output, StringComparison.Ordinal);
    }
}
