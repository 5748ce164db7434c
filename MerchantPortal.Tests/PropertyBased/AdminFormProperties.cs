using CsCheck;
using MerchantPortal.Admin;
using MerchantPortal.Data;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.PropertyBased;

public sealed class AdminFormPropertiesOnSqlite() : AdminFormProperties(DatabaseProvider.Sqlite);

public sealed class AdminFormPropertiesOnPostgreSql() : AdminFormProperties(DatabaseProvider.PostgreSql);

/// <summary>
/// The admin forms' services (the command line's too) fed generated input, junk included: each
/// input either does exactly what it said, or is refused with a message (AdminInputException)
/// and writes nothing, checked by counting every table it could touch before and after. Any
/// other exception fails the property. One database per class, cases run one after another.
/// </summary>
public abstract class AdminFormProperties(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly AdminActor Actor = new("props@test.local", null);
    private TestDatabase _database = null!;

    /// <summary>Names and free text: printable, whitespace, control characters, non-Latin, over-long, and the shops that exist.</summary>
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String,
        Gen.String[Gen.Char["ab AB\t\n-'%_"], 0, 12],
        Gen.String[Gen.Char.AlphaNumeric, 95, 260],
        Gen.OneOf<string>("", "   ", "Demo Shop 1", "demo shop 2", " DEMO SHOP 1 ", "1", "2", "999999", "-1", "0x1", "ünïcødé 店", "a\0b", "Robert'); DROP TABLE \"Orders\";--"));

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        await _database.MigrateAsync();
        await DemoDataTests.SeedAsync(_database);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task CreatingOrRenamingAMerchantDoesExactlyThatOrNothing()
    {
        var merchants = _database.Services.GetRequiredService<MerchantAdmin>();
        var ids = Gen.OneOf(Gen.Int[1, 3], Gen.Int[-5, 1_000_000]);
        await Gen.Select(Text, Gen.Bool, ids).SampleAsync(async (name, rename, id) =>
        {
            var before = await CountsAsync();
            try
            {
                if (rename)
                {
                    await merchants.RenameAsync(id, name, Actor, Ct);
                }
                else
                {
                    await merchants.CreateAsync(name, Actor, Ct);
                }
            }
            catch (AdminInputException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.Equal(before, await CountsAsync());
                return;
            }

            await using var db = _database.CreateDbContext();
            Assert.True(await db.Merchants.AnyAsync(m => m.Name == name.Trim() && (!rename || m.Id == id), Ct), $"no merchant named '{name.Trim()}'");
            var after = await CountsAsync();
            var renamedToItself = rename && after == before; // renaming to the same name changes and logs nothing
            Assert.Equal(renamedToItself ? before : before with { Merchants = before.Merchants + (rename ? 0 : 1), Activity = before.Activity + 1 }, after);
        }, iter: 150, threads: 1);
    }

    [Fact]
    public async Task CreatingAUserDoesExactlyThatOrNothing()
    {
        var users = _database.Services.GetRequiredService<UserAdmin>();
        var email = Gen.OneOf(Text, Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 8], Gen.OneOf<string>("@shop.test", "@", "@@x", " @x.test")).Select((a, b) => a + b));
        var password = Gen.OneOf(Text, Gen.OneOf<string>("Demo!2345", "Str0ng!Pass", "short", "nodigits!AA"));
        await Gen.Select(email, password, Text).SampleAsync(async (address, secret, merchant) =>
        {
            var before = await CountsAsync();
            try
            {
                await users.CreateMerchantUserAsync(address, secret, merchant, Actor, Ct);
            }
            catch (AdminInputException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.Equal(before, await CountsAsync());
                return;
            }

            await using var db = _database.CreateDbContext();
            var user = await db.Users.Include(u => u.Merchant).SingleAsync(u => u.Email == address.Trim(), Ct);
            Assert.NotNull(user.Merchant);
            Assert.Equal(before with { Users = before.Users + 1, UserRoles = before.UserRoles + 1, Activity = before.Activity + 1 }, await CountsAsync());
        }, iter: 40, threads: 1); // Identity hashes each accepted password (PBKDF2): the slow part
    }

    [Fact]
    public async Task SeedingDoesExactlyWhatItSaidOrNothing()
    {
        var seeder = _database.Services.GetRequiredService<OrderSeeder>();
        var counts = Gen.OneOf(Gen.Int[-3, 3], Gen.Int[995, 1005], Gen.Int[int.MinValue, int.MaxValue], Gen.Int[1, 60]);
        await Gen.Select(Text, counts).SampleAsync(async (merchant, count) =>
        {
            var before = await CountsAsync();
            SeedResult result;
            try
            {
                result = await seeder.SeedAsync(new SeedRequest(merchant, count), Actor, null, Ct);
            }
            catch (AdminInputException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.Equal(before, await CountsAsync());
                return;
            }

            Assert.Equal(count, result.Created);
            Assert.Equal(count, result.LastNumber - result.FirstNumber + 1);
            Assert.Equal(before with { Orders = before.Orders + count, Changes = before.Changes + count, Activity = before.Activity + 1 }, await CountsAsync());
        }, iter: 60, threads: 1);
    }

    [Fact]
    public async Task CreatingOneOrderKeepsItsCustomerAndTotalOrWritesNothing()
    {
        var seeder = _database.Services.GetRequiredService<OrderSeeder>();
        var total = Gen.OneOf(Gen.Decimal, Gen.Decimal[-1m, 100_001m], Gen.Int[0, 10_000_000].Select(cents => cents / 100m),
            Gen.OneOf(0m, 0.001m, 0.01m, 100_000m, 100_000.01m, decimal.MaxValue, decimal.MinValue, -0.01m));
        await Gen.Select(Gen.OneOf<string>("Demo Shop 1", "2", "No Such Shop", ""), Text, total).SampleAsync(async (merchant, customer, amount) =>
        {
            var before = await CountsAsync();
            long id;
            try
            {
                id = (await seeder.CreateOrderAsync(merchant, customer, amount, Actor, Ct)).Id;
            }
            catch (AdminInputException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.Equal(before, await CountsAsync());
                return;
            }

            await using var db = _database.CreateDbContext();
            var stored = await db.Orders.SingleAsync(o => o.Id == id, Ct);
            Assert.Equal((customer.Trim(), amount), (stored.CustomerName, stored.Total));
            Assert.Equal(before with { Orders = before.Orders + 1, Changes = before.Changes + 1, Activity = before.Activity + 1 }, await CountsAsync());
        }, iter: 200, threads: 1);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Counts(int Merchants, int Users, int UserRoles, int Orders, int Changes, int Activity);

    private async Task<Counts> CountsAsync()
    {
        await using var db = _database.CreateDbContext();
        return new Counts(await db.Merchants.CountAsync(Ct), await db.Users.CountAsync(Ct), await db.UserRoles.CountAsync(Ct),
            await db.Orders.CountAsync(Ct), await db.OrderChanges.CountAsync(Ct), await db.Activity.CountAsync(Ct));
    }
}
