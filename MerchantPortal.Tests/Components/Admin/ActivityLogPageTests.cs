using Bunit;
using MerchantPortal.Components.Pages.Admin;
using MerchantPortal.Data.Activity;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.Components.Admin;

/// <summary>/admin/activity: server paging over a real SQLite file, times in the browser's zone.</summary>
public sealed class ActivityLogPageTests
{
    [Fact]
    public async Task TimesShowInTheBrowsersZoneWithTheZoneNamed()
    {
        await using var database = await DatabaseWithEntriesAsync(1, new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc));
        await using var ctx = await PortalComponentContext.CreateAsync(database, "admin@demo.local");
        ctx.JSInterop.Setup<string?>("merchantPortal.timeZone").SetResult("Europe/Berlin");

        var page = ctx.Render<ActivityLog>();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("When (Europe/Berlin)", page.Find("[data-testid=activity-grid] thead").TextContent, StringComparison.Ordinal);
            Assert.Contains("2026-01-15 13:00:00", page.Find("tr.activity-row").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task PagesAreReadFromTheServerNewestFirst()
    {
        await using var database = await DatabaseWithEntriesAsync(120, new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc));
        await using var ctx = await PortalComponentContext.CreateAsync(database, "admin@demo.local");

        var page = ctx.Render<ActivityLog>();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("tr.activity-row");
            Assert.Equal(ActivityLog.PageSize, rows.Count);
            Assert.Contains("entry 120", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("of 120", page.Find(".mud-table-pagination").TextContent, StringComparison.Ordinal);
        });

        await page.Find(".mud-table-pagination button[aria-label='Next page']").ClickAsync();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("tr.activity-row");
            Assert.Equal(ActivityLog.PageSize, rows.Count);
            Assert.Contains("entry 70", rows[0].TextContent, StringComparison.Ordinal);
        });
    }

    /// <summary>A fresh file (its own counts) with <paramref name="count"/> entries a minute apart, the last at <paramref name="last"/>.</summary>
    private static async Task<TestDatabase> DatabaseWithEntriesAsync(int count, DateTime last)
    {
        var database = new TestDatabase();
        await database.MigrateAsync();
        await Data.DemoDataTests.SeedAsync(database);
        await using var db = database.CreateDbContext();
        db.Activity.RemoveRange(db.Activity);
        db.Activity.AddRange(Enumerable.Range(1, count).Select(i => new ActivityEntry
        {
            At = last.AddMinutes(i - count),
            Actor = "test",
            Action = "Tested",
            Details = $"entry {i}",
        }));
        await db.SaveChangesAsync();
        return database;
    }
}
