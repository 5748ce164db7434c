using MerchantPortal.Data;
using MerchantPortal.Orders;
using MerchantPortal.Tests.Data;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace MerchantPortal.Tests.Alerts;

/// <summary>The alert settings' writes and reads on a real database of each provider, outside any component.</summary>
public sealed class AlertSettingsProviderTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SettingsAreStoredPerUserReadBackByANewCircuitAndBadIntervalsRefused(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.MigrateAsync();
        await DemoDataTests.SeedAsync(database);

        await using (var first = await PortalComponentContext.CreateAsync(database, "merchant2@demo.local"))
        {
            var settings = first.Services.GetRequiredService<AlertSettings>();
            await settings.LoadAsync();
            Assert.Equal((false, 30, false), (settings.Sound, settings.RepeatSeconds, settings.Notifications));

            Assert.True(await settings.SetRepeatSecondsAsync(15));
            Assert.False(await settings.SetRepeatSecondsAsync(20));
            Assert.False(await settings.SetRepeatSecondsAsync(int.MaxValue));
            await settings.SetNotificationsAsync(true);
            Assert.Equal(15, settings.RepeatSeconds);
        }

        await using var second = await PortalComponentContext.CreateAsync(database, "merchant2@demo.local");
        var again = second.Services.GetRequiredService<AlertSettings>();
        await again.LoadAsync();
        Assert.Equal((15, true), (again.RepeatSeconds, again.Notifications));
        Assert.Equal(TimeSpan.FromSeconds(15), again.RepeatInterval);
        await using var db = database.CreateDbContext();
        var others = await db.Users.Where(u => u.Email != "merchant2@demo.local")
            .Select(u => new { u.AlertRepeatSeconds, u.AlertNotifications }).ToListAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(others);
        Assert.All(others, u => Assert.Equal((30, false), (u.AlertRepeatSeconds, u.AlertNotifications)));
    }
}
