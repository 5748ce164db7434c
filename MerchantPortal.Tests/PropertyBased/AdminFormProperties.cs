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

    /// <summary>A merchant key: mostly one that exists (by name in any case, or by id), else any text.</summary>
    private static readonly Gen<string> MerchantKey = Gen.Frequency(
        (3, Gen.OneOf<string>("Demo Shop 1", "demo shop 2", " Demo Shop 1 ", "1", "2")), (1, Text));

    private int _done;
    private int _refused;

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
        await Gen.Select(Text, Gen.Bool, ids).SampleAsync((name, rename, id) => DoesExactlyThatOrNothingAsync(
            async () =>
            {
                if (rename)
                {
                    await merchants.RenameAsync(id, name, Actor, Ct);
                }
                else
                {
                    await merchants.CreateAsync(name, Actor, Ct);
                }
            },
            async before =>
            {
                await using var db = _database.CreateDbContext();
                Assert.True(await db.Merchants.AnyAsync(m => m.Name == name.Trim() && (!rename || m.Id == id), Ct), $"no merchant named '{name.Trim()}'");
                var after = await CountsAsync();
                var renamedToItself = rename && after == before; // renaming to the same name changes and logs nothing
                Assert.Equal(renamedToItself ? before : before with { Merchants = before.Merchants + (rename ? 0 : 1), Activity = before.Activity + 1 }, after);
            }), iter: 150, threads: 1);
        AssertBothOutcomes();
    }

    [Fact]
    public async Task CreatingAUserDoesExactlyThatOrNothing()
    {
        var users = _database.Services.GetRequiredService<UserAdmin>();
        var suffix = Gen.Frequency((4, Gen.Const("@shop.test")), (1, Gen.OneOf<string>("@", "@@x", " @x.test ", "@shop.test\u0000")));
        var email = Gen.Frequency((4, Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 12], suffix, (a, b) => a + b)), (1, Text));
        var password = Gen.Frequency((4, Gen.OneOf<string>("Demo!2345", "Str0ng!Pass")), (1, Gen.OneOf<string>("short", "nodigits!AA")), (1, Text));
        await Gen.Select(email, password, MerchantKey).SampleAsync((address, secret, merchant) => DoesExactlyThatOrNothingAsync(
            () => users.CreateMerchantUserAsync(address, secret, merchant, Actor, Ct),
            async before =>
            {
                await using var db = _database.CreateDbContext();
                var user = await db.Users.Include(u => u.Merchant).SingleAsync(u => u.Email == address.Trim(), Ct);
                Assert.NotNull(user.Merchant);
                Assert.Equal(before with { Users = before.Users + 1, UserRoles = before.UserRoles + 1, Activity = before.Activity + 1 }, await CountsAsync());
            }), iter: 40, threads: 1); // Identity hashes each accepted password (PBKDF2): the slow part
        AssertBothOutcomes();
    }

    [Fact]
    public async Task SeedingDoesExactlyWhatItSaidOrNothing()
    {
        var seeder = _database.Services.GetRequiredService<OrderSeeder>();
        var counts = Gen.Frequency((4, Gen.Int[-3, 60]), (1, Gen.Int[995, 1005]), (1, Gen.Int[int.MinValue, int.MaxValue]));
        await Gen.Select(MerchantKey, counts).SampleAsync((merchant, count) => DoesExactlyThatOrNothingAsync(
            () => seeder.SeedAsync(new SeedRequest(merchant, count), Actor, null, Ct),
            async (result, before) =>
            {
                Assert.Equal(count, result.Created);
                Assert.Equal(count, result.LastNumber - result.FirstNumber + 1);
                Assert.Equal(before with { Orders = before.Orders + count, Changes = before.Changes + count, Activity = before.Activity + 1 }, await CountsAsync());
            }), iter: 40, threads: 1);
        AssertBothOutcomes();
    }

    [Fact]
    public async Task CreatingOneOrderKeepsItsCustomerAndTotalOrWritesNothing()
    {
        var seeder = _database.Services.GetRequiredService<OrderSeeder>();
        var total = Gen.OneOf(Gen.Decimal, Gen.Decimal[-1m, 100_001m], Gen.Int[0, 10_000_000].Select(cents => cents / 100m),
            Gen.OneOf(0m, 0.001m, 0.01m, 100_000m, 100_000.01m, decimal.MaxValue, decimal.MinValue, -0.01m));
        await Gen.Select(MerchantKey, Text, total).SampleAsync((merchant, customer, amount) => DoesExactlyThatOrNothingAsync(
            () => seeder.CreateOrderAsync(merchant, customer, amount, Actor, Ct),
            async (order, before) =>
            {
                await using var db = _database.CreateDbContext();
                var stored = await db.Orders.SingleAsync(o => o.Id == order.Id, Ct);
                Assert.Equal((customer.Trim(), amount), (stored.CustomerName, stored.Total));
                Assert.Equal(before with { Orders = before.Orders + 1, Changes = before.Changes + 1, Activity = before.Activity + 1 }, await CountsAsync());
            }), iter: 200, threads: 1);
        AssertBothOutcomes();
    }

    /// <summary>
    /// One generated input: refused with a message and every count as it was, or done, and then
    /// <paramref name="accepted"/> checks what it did against the counts from before.
    /// </summary>
    private async Task DoesExactlyThatOrNothingAsync<T>(Func<Task<T>> act, Func<T, Counts, Task> accepted)
    {
        var before = await CountsAsync();
        T result;
        try
        {
            result = await act();
        }
        catch (AdminInputException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.Equal(before, await CountsAsync());
            _refused++;
            return;
        }

        _done++;
        await accepted(result, before);
    }

    private Task DoesExactlyThatOrNothingAsync(Func<Task> act, Func<Counts, Task> accepted) =>
        DoesExactlyThatOrNothingAsync(async () => { await act(); return true; }, (_, before) => accepted(before));

    /// <summary>A property whose generators never reach one of the branches proves nothing about it.</summary>
    private void AssertBothOutcomes()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"{_done} accepted, {_refused} refused");
        Assert.True(_done > 0 && _refused > 0, $"{_done} accepted, {_refused} refused: the generators miss a branch");
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
