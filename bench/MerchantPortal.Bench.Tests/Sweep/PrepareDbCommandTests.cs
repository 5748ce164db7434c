using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Sweep;
using MerchantPortal.Data.Users;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Bench.Tests.Sweep;

/// <summary>prepare-db against SQLite files the real app migrated (see <see cref="MigratedPortalDatabase"/>).</summary>
public sealed class PrepareDbCommandTests(MigratedPortalDatabase template) : IClassFixture<MigratedPortalDatabase>
{
    private const string Password = "Bench pw 7!";

    [Fact]
    public async Task CreatesOneMerchantUserPerShopAsIdentityWouldStoreIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = template.Copy();

        var (exitCode, output, log) = await RunAsync(ct, "--database", path, "--merchants", "5", "--password", Password);

        Assert.True(exitCode == 0, $"exit {exitCode}: {log}");
        Assert.Contains("5 added, 0 kept", output, StringComparison.Ordinal);
        await using var db = MigratedPortalDatabase.OpenContext(path);
        var shops = await db.Merchants.Where(m => m.Name.StartsWith("Bench Shop ")).OrderBy(m => m.Name).ToListAsync(ct);
        Assert.Equal(["Bench Shop 0001", "Bench Shop 0002", "Bench Shop 0003", "Bench Shop 0004", "Bench Shop 0005"], shops.Select(m => m.Name));
        Assert.All(shops, m => Assert.True(m.IsActive && m.LastOrderNumber == 0 && m.CreatedAt > DateTime.UtcNow.AddMinutes(-5)));

        var users = await db.Users.Where(u => u.Email!.EndsWith("@bench.local")).OrderBy(u => u.Email).ToListAsync(ct);
        Assert.Equal(BenchAccounts.Emails(5), users.Select(u => u.Email));
        var merchantRoleHolders = await (
            from link in db.UserRoles
            join role in db.Roles on link.RoleId equals role.Id
            where role.Name == PortalRoles.Merchant
            select link.UserId).ToListAsync(ct);
        var hasher = new PasswordHasher<PortalUser>();
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            Assert.Equal(user.Email, user.UserName);
            Assert.Equal(user.Email!.ToUpperInvariant(), user.NormalizedEmail);
            Assert.Equal(user.Email.ToUpperInvariant(), user.NormalizedUserName);
            Assert.True(user.EmailConfirmed);
            Assert.True(user.LockoutEnabled);
            Assert.Equal(0, user.AccessFailedCount);
            Assert.True(Guid.TryParse(user.SecurityStamp, out _), $"security stamp '{user.SecurityStamp}'");
            Assert.True(Guid.TryParse(user.ConcurrencyStamp, out _), $"concurrency stamp '{user.ConcurrencyStamp}'");
            Assert.Equal(shops[i].Id, user.MerchantId);
            Assert.Contains(user.Id, merchantRoleHolders);
            Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(user, user.PasswordHash!, Password));
            Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, user.PasswordHash!, BenchAccounts.DefaultPassword));
        }

        // One hash for all (hashed once); stamps are per user, as sign-out-everywhere needs.
        Assert.Single(users.Select(u => u.PasswordHash).Distinct());
        Assert.Equal(users.Count, users.Select(u => u.SecurityStamp).Distinct().Count());
    }

    [Fact]
    public async Task ARerunKeepsWhatExistsAndAddsOnlyTheMissingMerchants()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = template.Copy();
        int othersBefore;
        await using (var db = MigratedPortalDatabase.OpenContext(path))
        {
            othersBefore = await db.Merchants.CountAsync(m => !m.Name.StartsWith("Bench Shop "), ct);
        }

        Assert.Equal(0, (await RunAsync(ct, "--database", path, "--merchants", "3")).ExitCode);
        var first = await SnapshotAsync(path, ct);
        var (exitCode, output, log) = await RunAsync(ct, "--database", path, "--merchants", "5", "--password", "Another pw 8!");
        Assert.True(exitCode == 0, $"exit {exitCode}: {log}");
        Assert.Contains("(2 added, 3 kept)", output, StringComparison.Ordinal);
        Assert.Contains("kept users keep the password", output, StringComparison.Ordinal);

        var second = await SnapshotAsync(path, ct);
        Assert.Equal(5, second.Count);
        foreach (var (email, row) in first)
        {
            // Same merchant, same user row, same password hash and stamp: kept, not rewritten.
            Assert.Equal(row, second[email]);
        }

        var hasher = new PasswordHasher<PortalUser>();
        Assert.Equal(PasswordVerificationResult.Success,
            hasher.VerifyHashedPassword(new PortalUser(), second[BenchAccounts.Email(2)].PasswordHash, BenchAccounts.DefaultPassword));
        Assert.Equal(PasswordVerificationResult.Success,
            hasher.VerifyHashedPassword(new PortalUser(), second[BenchAccounts.Email(5)].PasswordHash, "Another pw 8!"));

        (exitCode, output, _) = await RunAsync(ct, "--database", path, "--merchants", "5");
        Assert.Equal(0, exitCode);
        Assert.Contains("(0 added, 5 kept)", output, StringComparison.Ordinal);
        Assert.Equal(second, await SnapshotAsync(path, ct));
        await using (var db = MigratedPortalDatabase.OpenContext(path))
        {
            Assert.Equal(othersBefore, await db.Merchants.CountAsync(m => !m.Name.StartsWith("Bench Shop "), ct));
            Assert.True(await db.Merchants.AnyAsync(m => m.Name == MigratedPortalDatabase.OtherMerchant, ct));
            Assert.Equal(5, await db.Merchants.CountAsync(m => m.Name.StartsWith("Bench Shop "), ct));
            Assert.Equal(5, await db.Users.CountAsync(u => u.Email!.EndsWith("@bench.local"), ct));
        }
    }

    [Fact]
    public async Task AUserWhoLostTheMerchantRoleGetsItBack()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = template.Copy();
        Assert.Equal(0, (await RunAsync(ct, "--database", path, "--merchants", "2")).ExitCode);
        await ExecuteAsync(path,
            "DELETE FROM AspNetUserRoles WHERE UserId = (SELECT Id FROM AspNetUsers WHERE NormalizedEmail = 'BENCH0002@BENCH.LOCAL')", ct);

        var (exitCode, output, _) = await RunAsync(ct, "--database", path, "--merchants", "2");

        Assert.Equal(0, exitCode);
        Assert.Contains("1 role links repaired", output, StringComparison.Ordinal);
        await using var db = MigratedPortalDatabase.OpenContext(path);
        var user = await db.Users.SingleAsync(u => u.NormalizedEmail == "BENCH0002@BENCH.LOCAL", ct);
        Assert.Equal(1, await db.UserRoles.CountAsync(link => link.UserId == user.Id, ct));
    }

    [Fact]
    public async Task AFileTheAppNeverMigratedIsRefusedWithExitCodeOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = template.NewPath("unmigrated.db");
        await ExecuteAsync(path, "CREATE TABLE Unrelated (Id INTEGER PRIMARY KEY)", ct);

        var (exitCode, output, log) = await RunAsync(ct, "--database", path, "--merchants", "3");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("is not a migrated MerchantPortal database (no table Merchants, AspNetUsers, AspNetRoles, AspNetUserRoles)", log, StringComparison.Ordinal);
        Assert.Contains("Start the app on it once", log, StringComparison.Ordinal);
        Assert.Equal(["Unrelated"], await TablesAsync(path, ct));
    }

    [Fact]
    public async Task ADatabaseWithoutTheMerchantRoleIsRefusedAndLeftUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = template.Copy();
        await ExecuteAsync(path, "DELETE FROM AspNetRoles WHERE NormalizedName = 'MERCHANT'", ct);

        var (exitCode, _, log) = await RunAsync(ct, "--database", path, "--merchants", "3");

        Assert.Equal(1, exitCode);
        Assert.Contains("has no 'Merchant' role", log, StringComparison.Ordinal);
        await using var db = MigratedPortalDatabase.OpenContext(path);
        Assert.False(await db.Merchants.AnyAsync(m => m.Name.StartsWith("Bench Shop "), ct));
        Assert.False(await db.Users.AnyAsync(u => u.Email!.EndsWith("@bench.local"), ct));
    }

    [Fact]
    public async Task AMissingFileIsABadArgumentAndIsNotCreated()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = template.NewPath("missing.db");

        var (exitCode, _, log) = await RunAsync(ct, "--database", path, "--merchants", "3");

        Assert.Equal(2, exitCode);
        Assert.Contains("no such file", log, StringComparison.Ordinal);
        Assert.Contains(PrepareDbOptions.Usage, log, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("--database (a SQLite file) or --postgres (a connection string) is required, not both", "--merchants", "3")]
    [InlineData("--database (a SQLite file) or --postgres (a connection string) is required, not both", "--database", "x.db", "--postgres", "Host=h;Database=d", "--merchants", "3")]
    [InlineData("--postgres must be a PostgreSQL connection string, e.g. \"Host=127.0.0.1;Database=portal;Username=postgres\"", "--postgres", "Colour=blue", "--merchants", "3")]
    [InlineData("--merchants is required", "--database", "x.db")]
    [InlineData("--merchants must be a whole number from 1 to 100000, not '0'", "--database", "x.db", "--merchants", "0")]
    [InlineData("--merchants must be a whole number from 1 to 100000, not '100001'", "--database", "x.db", "--merchants", "100001")]
    [InlineData("--merchants must be a whole number from 1 to 100000, not 'many'", "--database", "x.db", "--merchants", "many")]
    [InlineData("--password must not be empty", "--database", "x.db", "--merchants", "3", "--password", "")]
    [InlineData("--merchants needs a value", "--database", "x.db", "--merchants")]
    [InlineData("--database given twice", "--database", "x.db", "--database", "y.db", "--merchants", "3")]
    [InlineData("unknown argument '--merchant'", "--database", "x.db", "--merchant", "3")]
    public async Task BadArgumentsExitWithTwoAndTheUsage(string expected, params string[] args)
    {
        var (exitCode, output, log) = await RunAsync(TestContext.Current.CancellationToken, args);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith($"prepare-db: {expected}\n{PrepareDbOptions.Usage}", log, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsDefaultToTheDemoPasswordAndAFullPath()
    {
        var options = PrepareDbOptions.Parse(["--database", "bench.db", "--merchants", "1000"], out var error);

        Assert.NotNull(options);
        Assert.Equal("", error);
        Assert.Equal(Path.GetFullPath("bench.db"), options.DatabasePath);
        Assert.Equal(1000, options.Merchants);
        Assert.Equal("Demo!2345", options.Password);
    }

    [Fact]
    public void TheLoadRunnerCanComputeTheSameNames()
    {
        Assert.Equal(["bench0001@bench.local", "bench0002@bench.local", "bench0003@bench.local"], BenchAccounts.Emails(3));
        Assert.Equal("Bench Shop 0999", BenchAccounts.ShopName(999));
        Assert.Equal("bench12345@bench.local", BenchAccounts.Email(12_345));
        Assert.Equal(1000, BenchAccounts.Emails(1000).Distinct().Count());
        Assert.Empty(BenchAccounts.Emails(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchAccounts.ShopName(0));
    }

    /// <summary>The real app, started on a prepared file, lets a bench user sign in through its login form and shows that user's shop.</summary>
    [Fact]
    public async Task APreparedUserSignsInToTheAppAndSeesItsOwnShop()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = template.Copy();
        Assert.Equal(0, (await RunAsync(ct, "--database", path, "--merchants", "3", "--password", Password)).ExitCode);

        var appOutput = new System.Text.StringBuilder();
        var address = AppProcess.FreeLoopbackAddress();
        var app = AppProcess.Start(MigratedPortalDatabase.ConnectionString(path), ["--urls", address.ToString().TrimEnd('/')], appOutput);
        try
        {
            await AppProcess.WaitUntilServingAsync(app, address, appOutput);
            using var http = CookieHttp.CreateSharedClient();
            var session = await MerchantSession.SignInAsync(http, address, BenchAccounts.Email(2), Password, ct);
            using var request = new HttpRequestMessage(HttpMethod.Get, address);
            using var response = await session.SendAsync(request, ct);
            var html = await response.Content.ReadAsStringAsync(ct);

            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(BenchAccounts.ShopName(2), html, StringComparison.Ordinal);
            Assert.DoesNotContain(BenchAccounts.ShopName(1), html, StringComparison.Ordinal);
            // The same form refuses a wrong password, so the sign-in above is the hash at work.
            await Assert.ThrowsAsync<InvalidOperationException>(() => MerchantSession.SignInAsync(http, address, BenchAccounts.Email(3), "Wrong pw 9!", ct));
        }
        finally
        {
            await AppProcess.StopAsync(app);
        }
    }

    private static async Task<(int ExitCode, string Output, string Log)> RunAsync(CancellationToken ct, params string[] args)
    {
        using var output = new StringWriter();
        using var log = new StringWriter();
        var exitCode = await PrepareDbCommand.RunAsync(args, output, log, ct);
        return (exitCode, output.ToString(), log.ToString().ReplaceLineEndings("\n"));
    }

    private sealed record UserRow(int MerchantId, string MerchantName, string UserId, string PasswordHash, string SecurityStamp);

    private static async Task<Dictionary<string, UserRow>> SnapshotAsync(string path, CancellationToken ct)
    {
        await using var db = MigratedPortalDatabase.OpenContext(path);
        var rows = await (
            from user in db.Users
            join merchant in db.Merchants on user.MerchantId equals merchant.Id
            where user.Email!.EndsWith("@bench.local")
            select new { user.Email, merchant.Id, merchant.Name, UserId = user.Id, user.PasswordHash, user.SecurityStamp }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Email!, r => new UserRow(r.Id, r.Name, r.UserId, r.PasswordHash!, r.SecurityStamp!));
    }

    private static async Task ExecuteAsync(string path, string sql, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(MigratedPortalDatabase.ConnectionString(path));
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<string>> TablesAsync(string path, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(MigratedPortalDatabase.ConnectionString(path));
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
