using MerchantPortal.Data;
using MerchantPortal.Setup;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Tests.Web;

/// <summary>How a command line is split into the command, its options and configuration switches: no database involved.</summary>
public sealed class CommandArgumentsTests
{
    public static TheoryData<string[], string?, string?> Lines => new()
    {
        { ["seed-orders", "--merchant", "A", "--count", "2"], "seed-orders", null },
        { ["--urls", "http://x", "seed-orders", "--count=2", "--merchant", "A"], "seed-orders", null },
        { ["--Database:Provider", "Sqlite", "seed-orders", "--merchant", "A", "--count", "2", "--Logging:LogLevel:Default=Warning"], "seed-orders", null },
        { ["seed-orders", "--merchant", "A", "--count", "2", "--OrderNotifications:PollInterval"], "seed-orders", null }, // left without a value: the provider ignores it
        { ["seed-orders", "--merchant", "A", "--cuont", "2"], "seed-orders", "Unknown option --cuont" },
        { ["seed-orders", "--merchant", "A", "--count"], "seed-orders", "--count needs a value" },
        { ["--cuont", "2", "seed-orders"], null, null }, // not a command line: the web app starts as before
        { ["--urls", "http://127.0.0.1:5000"], null, null },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void CommandArgumentsSkipConfigurationSwitchesAndRefuseAnythingElse(string[] line, string? command, string? error)
    {
        var commands = new HashSet<string> { "seed-orders" };

        var found = CommandArguments.FindCommand(line, commands);

        Assert.Equal(command, found);
        if (found is null)
        {
            return;
        }

        var options = CommandArguments.ParseOptions(line, found, ["merchant", "count", "spread"], out var why);
        if (error is null)
        {
            Assert.True(options is not null, why);
            Assert.Equal("A", options["merchant"]);
            Assert.Equal("2", options["count"]);
        }
        else
        {
            Assert.Null(options);
            Assert.Contains(error, why, StringComparison.Ordinal);
        }
    }
}

public sealed class CommandLineOnSqlite() : CommandLineTests(DatabaseProvider.Sqlite);

public sealed class CommandLineOnPostgreSql() : CommandLineTests(DatabaseProvider.PostgreSql);

/// <summary>
/// Operator commands take configuration the way the app does: configuration switches anywhere on
/// the line, a misspelt option refused rather than taken for configuration. The app binary runs
/// as a separate process, as operators run it, on SQLite files in temporary folders and on fresh
/// PostgreSQL databases.
/// </summary>
public abstract class CommandLineTests(DatabaseProvider provider)
{
    private const string Switch = "--ConnectionStrings:MerchantPortal";

    public static TheoryData<string, string[]> SwitchPositions => new()
    {
        { "before the command", [$"{Switch}={{db}}", "seed-orders", "--merchant", "Demo Shop 1", "--count", "2"] },
        { "before the options", ["seed-orders", $"{Switch}={{db}}", "--merchant", "Demo Shop 1", "--count", "2"] },
        { "between the options, value as the next token", ["seed-orders", "--merchant", "Demo Shop 1", Switch, "{db}", "--count", "2"] },
        { "after the options", ["seed-orders", "--merchant", "Demo Shop 1", "--count", "2", $"{Switch}={{db}}"] },
        { "after the options, without dashes", ["seed-orders", "--merchant", "Demo Shop 1", "--count", "2", $"ConnectionStrings:MerchantPortal={{db}}"] },
        { "after the options, with a slash", ["seed-orders", "--merchant", "Demo Shop 1", "--count", "2", $"/ConnectionStrings:MerchantPortal={{db}}"] },
    };

    [Theory]
    [MemberData(nameof(SwitchPositions))]
    public async Task AConnectionStringSwitchAnywhereOnTheLineChoosesTheDatabaseTheOrdersLandIn(string position, string[] line)
    {
        // The process's environment names one database (ConnectionStrings__MerchantPortal, as
        // AppProcess sets it); the switch names another, and the command line wins, as for the app.
        await using var fromEnvironment = await TestDatabase.CreateAsync(provider);
        await using var fromSwitch = await TestDatabase.CreateAsync(provider);
        var args = line.Select(a => a.Replace("{db}", fromSwitch.ConnectionString, StringComparison.Ordinal)).ToArray();

        var (exitCode, output) = await PortalApp.RunCommandAsync(fromEnvironment, args);

        Assert.True(exitCode == 0, $"{position}: exit {exitCode}: {output}");
        Assert.Contains("Created 2 orders for Demo Shop 1", output, StringComparison.Ordinal);
        await using (var db = fromSwitch.CreateDbContext())
        {
            Assert.Equal(26, await db.Orders.CountAsync(o => o.Merchant!.Name == "Demo Shop 1", TestContext.Current.CancellationToken));
        }

        Assert.True(await fromEnvironment.IsUntouchedAsync(), $"{position}: the environment's database was created or written");
    }

    public static TheoryData<string[], string> RefusedLines => new()
    {
        { ["seed-orders", "--merchant", "Demo Shop 1", "--count", "2", "--colour", "red"], "Unknown option --colour for seed-orders" },
        // Misspelt: --cuont would be a configuration key nothing reads, and --spraed would let the
        // command run at once instead of spreading the orders: both refused, neither taken for configuration.
        { ["seed-orders", "--merchant", "Demo Shop 1", "--cuont", "2"], "Unknown option --cuont for seed-orders" },
        { ["seed-orders", "--merchant", "Demo Shop 1", "--count", "2", "--spraed", "1s"], "Unknown option --spraed for seed-orders" },
        { ["seed-orders", "--merchant", "Demo Shop 1", "--count=2", "--spraed=1s"], "Unknown option --spraed for seed-orders" },
        // The environment variable's spelling does not work on the command line: say so rather than ignore it.
        { ["seed-orders", "--merchant", "Demo Shop 1", "--count", "2", "--ConnectionStrings__MerchantPortal=Data Source=elsewhere.db"], "Unknown option --ConnectionStrings__MerchantPortal" },
        { ["seed-orders", "--merchant", "Demo Shop 1", "--count", "2", "extra"], "Unexpected argument 'extra' for seed-orders" },
        { ["create-merchant", "-n", "Corner Shop"], "Unknown option -n for create-merchant" },
    };

    [Theory]
    [MemberData(nameof(RefusedLines))]
    public async Task AnUnknownOrMisspeltOptionIsRefusedWithExitTwoTheUsageLineAndNothingWritten(string[] line, string message)
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var (exitCode, output) = await PortalApp.RunCommandAsync(database, line);

        Assert.True(exitCode == 2, $"exit {exitCode}: {output}");
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.Contains("Usage: " + line[0], output, StringComparison.Ordinal);
        Assert.True(await database.IsUntouchedAsync(), "a refused command created or wrote the database");
    }

    [Fact]
    public async Task HostSettingsWithoutASectionAreConfigurationToo()
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var (exitCode, output) = await PortalApp.RunCommandAsync(database,
            "--environment", "Development", "create-merchant", "--urls", "http://127.0.0.1:0", "--name", "Corner Shop");

        Assert.True(exitCode == 0, output);
        await using var db = database.CreateDbContext();
        Assert.True(await db.Merchants.AnyAsync(m => m.Name == "Corner Shop", TestContext.Current.CancellationToken));
    }
}
