using System.Data.Common;
using MerchantPortal.Data;
using MerchantPortal.Data.Users;
using MerchantPortal.Setup;
using MerchantPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MerchantPortal.Tests.Data;

/// <summary>
/// Two nodes started together on a fresh database: each checks that a row is missing, then
/// inserts it, and the other may insert it in between. Here the other node runs its whole
/// start-up exactly there, right after this node's check, so the race is lost every time.
/// </summary>
public sealed class ConcurrentStartTests
{
    public static TheoryData<DatabaseProvider, string> Races => new()
    {
        { DatabaseProvider.Sqlite, "AspNetRoles" },
        { DatabaseProvider.Sqlite, "AspNetUsers" },
        { DatabaseProvider.Sqlite, "Merchants" },
        { DatabaseProvider.Sqlite, "Orders" },
        { DatabaseProvider.PostgreSql, "AspNetRoles" },
        { DatabaseProvider.PostgreSql, "AspNetUsers" },
        { DatabaseProvider.PostgreSql, "Merchants" },
        { DatabaseProvider.PostgreSql, "Orders" },
    };

    [Theory]
    [MemberData(nameof(Races))]
    public async Task ANodeThatLosesTheRaceForAStartUpRowFindsTheWinnersAndStarts(DatabaseProvider provider, string table)
    {
        var otherNode = new OtherNodeAfterCheck(table);
        await using var database = await TestDatabase.CreateAsync(provider, services =>
            services.ConfigureDbContext<PortalDbContext>(options => options.AddInterceptors(otherNode)));
        await database.MigrateAsync();
        await using var otherServices = TestDatabase.BuildServices(database.Settings);
        otherNode.Run = () => StartAsync(otherServices);

        await StartAsync(database.Services);

        Assert.True(otherNode.Ran, $"this node never checked {table}, so the race was not run");
        await using var db = database.CreateDbContext();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(PortalRoles.All.Order(), (await db.Roles.Select(r => r.Name!).ToListAsync(ct)).Order());
        Assert.Equal(3, await db.Users.CountAsync(ct));
        Assert.Equal(DemoData.Merchants.Count, await db.Merchants.CountAsync(ct));
        Assert.Equal(48, await db.Orders.CountAsync(ct));
    }

    private static Task StartAsync(IServiceProvider services) =>
        DatabaseStartup.SeedAsync(services, demoData: true, new ConfigurationBuilder().Build(), NullLogger.Instance);

    /// <summary>Runs the other node's start-up once, right after this node's first query of <c>table</c> has run.</summary>
    private sealed class OtherNodeAfterCheck(string table) : DbCommandInterceptor
    {
        private int _ran;

        public Func<Task> Run { get; set; } = () => Task.CompletedTask;

        public bool Ran => _ran == 1;

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.Ordinal)
                && command.CommandText.Contains($"FROM \"{table}\"", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _ran, 1) == 0)
            {
                await Run();
            }

            return result;
        }
    }
}
