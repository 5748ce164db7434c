using MerchantPortal.Data;

namespace MerchantPortal.Setup;

/// <summary>
/// Operator commands run by the same app (same configuration, services and validation):
/// <c>dotnet run --project MerchantPortal -- create-admin --email a@b.c --password ...</c>.
/// Exit code 0 on success, 2 on bad input, 1 when the database is unusable.
/// </summary>
public static class PortalCommands
{
    private static readonly string[] Names = ["create-admin"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var options = ParseOptions(args.AsSpan(1));
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"Usage: {Usage(args[0])}");
            return 2;
        }

        if (!await app.PrepareDatabaseAsync())
        {
            return 1;
        }

        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            return args[0] switch
            {
                "create-admin" => await CreateAdminAsync(scope.ServiceProvider, options),
                _ => 2,
            };
        }
        catch (AccountSetupException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
    }

    private static async Task<int> CreateAdminAsync(IServiceProvider services, Dictionary<string, string> options)
    {
        if (!options.TryGetValue("email", out var email) || !options.TryGetValue("password", out var password))
        {
            await Console.Error.WriteLineAsync($"Usage: {Usage("create-admin")}");
            return 2;
        }

        await services.GetRequiredService<AccountSetup>().CreateAdminAsync(email, password);
        Console.WriteLine($"Created admin {email} in {services.GetRequiredService<PortalDatabase>()}.");
        return 0;
    }

    private static string Usage(string command) => command switch
    {
        "create-admin" => "create-admin --email <email> --password <password>",
        _ => string.Join(Environment.NewLine, Names),
    };

    /// <summary>"--name value" pairs; null when the arguments are not in that shape.</summary>
    private static Dictionary<string, string>? ParseOptions(ReadOnlySpan<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return null;
            }

            options[args[i][2..]] = args[i + 1];
        }

        return options;
    }
}
