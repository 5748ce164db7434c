using System.Globalization;
using Bunit;
using MerchantPortal.Admin;
using MerchantPortal.Components.Pages.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Tests.Components.Admin;

/// <summary>/admin/seed on the real OrderSeeder and a real SQLite file.</summary>
public sealed class SeedPageTests(AdminPageDatabase fixture) : IClassFixture<AdminPageDatabase>
{
    [Fact]
    public async Task EachSeedRuleShowsItsMessageBesideTheFieldAndInTheAlertAndWritesNothing()
    {
        await using var ctx = await fixture.SignInAsync();
        var page = ctx.Render<Seed>();
        var before = await fixture.CountsAsync();

        foreach (var (field, value, message) in new[]
        {
            ("seed-count", "0", "Count must be from 1 to 1000."),
            ("seed-count", "1001", "Count must be from 1 to 1000."),
            ("seed-count", "", "Count is required."),
            ("seed-spread", "-1", "Spread must be from 0 to 3600 seconds."),
            ("seed-spread", "3601", "Spread must be from 0 to 3600 seconds."),
        })
        {
            page.Fill("seed-count", field == "seed-count" ? value : "5");
            page.Fill("seed-spread", field == "seed-spread" ? value : "0");
            await page.SubmitAsync("seed-form");
            page.WaitForAssertion(() =>
            {
                Assert.Equal(message, page.FieldError(field));
                Assert.Contains(message, page.Text("seed-error"), StringComparison.Ordinal);
            });
        }

        Assert.Equal(before, await fixture.CountsAsync());
    }

    [Fact]
    public async Task AForgedOrInactiveMerchantIsRefusedByTheServer()
    {
        var closed = await fixture.Database.Services.GetRequiredService<MerchantAdmin>().CreateAsync("Closed For Seeding", AdminActor.CommandLine, Xunit.TestContext.Current.CancellationToken);
        await fixture.Database.Services.GetRequiredService<MerchantAdmin>().SetActiveAsync(closed.Id, false, AdminActor.CommandLine, Xunit.TestContext.Current.CancellationToken);
        await using var ctx = await fixture.SignInAsync();
        var page = ctx.Render<Seed>();
        Assert.DoesNotContain(page.FindAll("[data-testid=seed-merchant] option"), o => o.TextContent.Contains("Closed", StringComparison.Ordinal));
        var before = await fixture.CountsAsync();

        foreach (var (merchant, message) in new[] { ("987654", "Unknown merchant"), (closed.Id.ToString(CultureInfo.InvariantCulture), "is inactive") })
        {
            // Values no option offers: what a tampered page could send over the circuit.
            page.Fill("seed-merchant", merchant);
            await page.SubmitAsync("seed-form");
            page.WaitForAssertion(() => Assert.Contains(message, page.Text("seed-error"), StringComparison.Ordinal));
        }

        Assert.Equal(before, await fixture.CountsAsync());
    }

    [Fact]
    public async Task ABatchIsCreatedForTheChosenMerchant()
    {
        await using var ctx = await fixture.SignInAsync();
        var page = ctx.Render<Seed>();
        var before = await OrderCountAsync("Demo Shop 2");

        page.Fill("seed-merchant", await MerchantIdAsync("Demo Shop 2"));
        page.Fill("seed-count", "4");
        await page.SubmitAsync("seed-form");

        page.WaitForAssertion(() => Assert.StartsWith("Created 4 orders for Demo Shop 2", page.Text("seed-result"), StringComparison.Ordinal));
        Assert.Equal(before + 4, await OrderCountAsync("Demo Shop 2"));
    }

    [Fact]
    public async Task ADoubleSubmitCreatesOneBatchAndChangedValuesAreANewRequest()
    {
        await using var ctx = await fixture.SignInAsync();
        var page = ctx.Render<Seed>();
        page.Fill("seed-merchant", await MerchantIdAsync("Demo Shop 1"));
        var before = await OrderCountAsync("Demo Shop 1");

        // The second submit lands while the first batch runs, or within the window after it:
        // either way it is the same click.
        page.Fill("seed-count", "6");
        var first = page.SubmitAsync("seed-form");
        var second = page.SubmitAsync("seed-form");
        await Task.WhenAll(first, second);
        page.WaitForAssertion(() => Assert.StartsWith("Created 6 orders", page.Text("seed-result"), StringComparison.Ordinal));
        Assert.Equal(before + 6, await OrderCountAsync("Demo Shop 1"));

        // Other values at once are a new request, however quick.
        page.Fill("seed-count", "2");
        await page.SubmitAsync("seed-form");
        page.WaitForAssertion(() => Assert.StartsWith("Created 2 orders", page.Text("seed-result"), StringComparison.Ordinal));
        Assert.Equal(before + 8, await OrderCountAsync("Demo Shop 1"));
        await using var db = fixture.Database.CreateDbContext();
        Assert.Equal(1, await db.Activity.CountAsync(e => e.Details.StartsWith("Demo Shop 1: 6 orders"), Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ATrickleShowsProgressAndCancelKeepsWhatWasCreated()
    {
        await using var ctx = await fixture.SignInAsync();
        var page = ctx.Render<Seed>();
        page.Fill("seed-merchant", await MerchantIdAsync("Demo Shop 1"));
        var before = await OrderCountAsync("Demo Shop 1");

        page.Fill("seed-count", "3");
        page.Fill("seed-spread", "60");
        _ = page.SubmitAsync("seed-form");

        page.WaitForAssertion(() => Assert.Contains("1 of 3 created", page.Text("seed-progress"), StringComparison.Ordinal));
        Assert.NotNull(page.Find("[data-testid=seed-progress] [role=progressbar]"));
        await page.Find("[data-testid=seed-cancel]").ClickAsync();

        page.WaitForAssertion(() => Assert.Contains("cancelled before the rest", page.Text("seed-result"), StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=seed-progress]"));
        Assert.Equal(before + 1, await OrderCountAsync("Demo Shop 1"));
    }

    [Fact]
    public async Task LeavingThePageCancelsATrickle()
    {
        await using var ctx = await fixture.SignInAsync();
        var page = ctx.Render<Seed>();
        page.Fill("seed-merchant", await MerchantIdAsync("Demo Shop 2"));
        page.Fill("seed-count", "3");
        page.Fill("seed-spread", "60");
        _ = page.SubmitAsync("seed-form");
        page.WaitForAssertion(() => Assert.Contains("1 of 3 created", page.Text("seed-progress"), StringComparison.Ordinal));

        await ctx.DisposeComponentsAsync();

        // The seeder logs how far it got once it stops; without the cancel it would run a minute.
        await WaitForAsync(async () =>
        {
            await using var db = fixture.Database.CreateDbContext();
            return await db.Activity.AnyAsync(e => e.Details.Contains("Created 1 order for Demo Shop 2") && e.Details.Contains("cancelled"));
        });
    }

    [Fact]
    public async Task EachSingleOrderRuleShowsItsMessageAndAValidOrderIsCreated()
    {
        await using var ctx = await fixture.SignInAsync();
        var page = ctx.Render<Seed>();
        var before = await fixture.CountsAsync();

        foreach (var (customer, total, field, message) in new[]
        {
            (" ", "10", "order-customer", "Customer name is required."),
            (new string('c', 201), "10", "order-customer", "Customer name can be at most 200 characters."),
            ("Ann", "", "order-total", "Total is required."),
            ("Ann", "0", "order-total", "Total must be more than 0 and at most 100000."),
            ("Ann", "100000.01", "order-total", "Total must be more than 0 and at most 100000."),
            ("Ann", "1.005", "order-total", "Total can have at most two decimal places."),
        })
        {
            page.Fill("order-customer", customer);
            page.Fill("order-total", total);
            await page.SubmitAsync("order-form");
            page.WaitForAssertion(() =>
            {
                Assert.Equal(message, page.FieldError(field));
                Assert.Contains(message, page.Text("order-error"), StringComparison.Ordinal);
            });
        }

        Assert.Equal(before, await fixture.CountsAsync());

        page.Fill("order-customer", "Ada Lovelace");
        page.Fill("order-total", "42.50");
        await page.SubmitAsync("order-form");
        page.WaitForAssertion(() => Assert.Contains("for Ada Lovelace (42.50 EUR)", page.Text("order-result"), StringComparison.Ordinal));
        Assert.Equal(before.Orders + 1, (await fixture.CountsAsync()).Orders);
    }

    [Fact]
    public async Task AMerchantCannotSeedEvenWithThePageOpen()
    {
        await using var ctx = await fixture.SignInAsync("merchant1@demo.local");
        var page = ctx.Render<Seed>();
        var before = await fixture.CountsAsync();

        page.Fill("seed-count", "2");
        await page.SubmitAsync("seed-form");

        page.WaitForAssertion(() => Assert.Equal("Only admins may do this.", page.Text("seed-error")));
        Assert.Equal(before, await fixture.CountsAsync());
    }

    private async Task<string> MerchantIdAsync(string name)
    {
        await using var db = fixture.Database.CreateDbContext();
        return (await db.Merchants.SingleAsync(m => m.Name == name, Xunit.TestContext.Current.CancellationToken)).Id.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<int> OrderCountAsync(string merchant)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Orders.CountAsync(o => o.Merchant!.Name == merchant, Xunit.TestContext.Current.CancellationToken);
    }

    /// <summary>Polls the database until the condition holds, failing after a deadline.</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 10 s.");
            await Task.Delay(50, Xunit.TestContext.Current.CancellationToken);
        }
    }
}
