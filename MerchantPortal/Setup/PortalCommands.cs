using System.Collections.Frozen;
using System.Data.Common;
using System.Globalization;
using MerchantPortal.Admin;
using MerchantPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Setup;

/// <summary>
/// Operator commands, run by the same app with the same configuration, services and rules as
/// the admin pages, e.g. <c>dotnet run --project MerchantPortal -- seed-orders --merchant "Demo Shop 1" --count 3</c>.
/// Exit codes: 0 done, 2 bad input (nothing written), 1 database unusable, 130 cancelled.
/// Configuration switches (<c>--ConnectionStrings:MerchantPortal=...</c>) may stand anywhere on
/// the line, as for the web app; see <see cref="CommandArguments"/> for how they are told apart
/// from a misspelt option.
/// </summary>
public static class PortalCommands
{
    private sealed record Command(string Usage, string[] Required, Func<IServiceProvider, Dictionary<string, string>, CancellationToken, Task<string>> Run)
    {
        public string[] Optional { get; init; } = [];

        public IReadOnlyCollection<string> Known => [.. Required, .. Optional];
    }

    private static readonly Dictionary<string, Command> Commands = new()
    {
        ["create-admin"] = new("create-admin --email <email> --password <password>", ["email", "password"], async (services, o, _) =>
        {
            await services.GetRequiredService<AccountSetup>().CreateAdminAsync(o["email"], o["password"]);
            return $"Created admin {o["email"]} in {services.GetRequiredService<PortalDatabase>()}.";
        }),
        ["create-merchant"] = new("create-merchant --name <name>", ["name"], async (services, o, ct) =>
        {
            var merchant = await services.GetRequiredService<MerchantAdmin>().CreateAsync(o["name"], AdminActor.CommandLine, ct);
            return $"Created merchant {merchant.Name} (id {merchant.Id}).";
        }),
        ["create-user"] = new("create-user --merchant <name|id> --email <email> --password <password>", ["merchant", "email", "password"], async (services, o, ct) =>
        {
            await services.GetRequiredService<UserAdmin>().CreateMerchantUserAsync(o["email"], o["password"], o["merchant"], AdminActor.CommandLine, ct);
            return $"Created user {o["email"]} for {o["merchant"]}.";
        }),
        ["seed-orders"] = new("seed-orders --merchant <name|id> --count <1-1000> [--spread <30s|2m|seconds>]", ["merchant", "count"], async (services, o, ct) =>
        {
            var count = int.TryParse(o["count"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new AdminInputException($"Count must be a whole number from 1 to {OrderSeeder.MaxCount}; got '{o["count"]}'.");
            var spread = o.TryGetValue("spread", out var text) ? ParseDuration(text) : TimeSpan.Zero;
            var progress = spread > TimeSpan.Zero ? new Progress<int>(done => Console.WriteLine($"  {done}/{count}")) : null;
            var result = await services.GetRequiredService<OrderSeeder>().SeedAsync(new SeedRequest(o["merchant"], count, spread), AdminActor.CommandLine, progress, ct);
            return result.Cancelled ? throw new OperationCanceledException(result.ToString()) : result.ToString();
        }) { Optional = ["spread"] },
    };

    private static readonly FrozenSet<string> Names = Commands.Keys.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsCommand(string[] args) => CommandArguments.FindCommand(args, Names) is not null;

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var name = CommandArguments.FindCommand(args, Names) ?? throw new ArgumentException("No command on the line.", nameof(args));
        var command = Commands[name];
        var options = CommandArguments.ParseOptions(args, name, command.Known, out var error);
        var missing = options is null ? [] : command.Required.Where(r => !options.ContainsKey(r)).ToList();
        if (options is null || missing.Count > 0)
        {
            var why = options is null ? error + " " : $"Missing {string.Join(", ", missing.Select(m => "--" + m))}. ";
            await Console.Error.WriteLineAsync($"{why}Usage: {command.Usage}");
            return 2;
        }

        if (!await app.PrepareDatabaseAsync())
        {
            return 1;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // finish cleanly: report what was written
            cancel.Cancel();
        };
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            Console.WriteLine(await command.Run(scope.ServiceProvider, options, cancel.Token));
            return 0;
        }
        catch (Exception ex) when (ex is AdminInputException or AccountSetupException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (OperationCanceledException ex)
        {
            await Console.Error.WriteLineAsync($"Cancelled. {ex.Message}");
            return 130;
        }
        catch (Exception ex) when (ex is OrderNumberConflictException or DbException or DbUpdateException)
        {
            // The database refused mid-command (it went away, or writers kept colliding): exit 1,
            // "database unusable", with its reason, never an unhandled crash.
            await Console.Error.WriteLineAsync(DatabaseWriteErrors.Describe(ex) ?? $"The database refused the command: {ex.Message}");
            return 1;
        }
    }

    /// <summary>"30s", "2m", "1h" or plain seconds; anything else, or more than TimeSpan holds ("1e300h", "NaN"), is bad input.</summary>
    internal static TimeSpan ParseDuration(string text)
    {
        var value = text.Trim();
        var unit = value.Length > 0 && char.IsLetter(value[^1]) ? char.ToLowerInvariant(value[^1]) : 's';
        var number = char.IsLetter(value.LastOrDefault()) ? value[..^1] : value;
        var seconds = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            ? amount * unit switch { 'm' => 60, 'h' => 3600, _ => 1 }
            : double.NaN;
        // TimeSpan.FromSeconds throws on NaN and overflows past about 29,000 years: refuse both here.
        if (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2 || unit is not ('s' or 'm' or 'h'))
        {
            throw new AdminInputException($"Spread must look like 30s, 2m or 1h; got '{text}'.");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
