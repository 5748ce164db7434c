namespace MerchantPortal.Setup;

/// <summary>
/// Splits an operator command's line into its command, its own options, and the configuration
/// switches that .NET's command-line configuration provider reads (WebApplication.CreateBuilder
/// already gave those to the app's configuration, so here they are only recognised and skipped).
/// Options and switches may come in any order, before the command name too.
/// </summary>
/// <remarks>
/// Telling a configuration switch from a command option: a command's own options are a short,
/// known list, and anything else must be configuration, but "anything else" would make a typo
/// (<c>--cuont 3</c>) silently become a configuration key nothing reads, and the command would
/// then fail on a missing option, or worse, run with a default. So a switch counts as
/// configuration only when its key
/// <list type="bullet">
/// <item>contains ':' (<c>--ConnectionStrings:MerchantPortal=...</c>, <c>--Database:Provider Sqlite</c>):
///   every setting of the app lives in a section, and no command option has a ':' in its name; or</item>
/// <item>is one of the host's flat settings (<c>--urls</c>, <c>--environment</c>, ...), which
///   have no section.</item>
/// </list>
/// Everything else is refused, naming the switch. The forms are the provider's own:
/// <c>--Key=Value</c>, <c>/Key=Value</c>, <c>Key=Value</c> (the value is the rest of the token,
/// '=' included) and <c>--Key Value</c>, <c>/Key Value</c> (the value is the next token), so
/// this parser and the provider always consume the same tokens.
/// </remarks>
internal static class CommandArguments
{
    /// <summary>The host's settings without a section (WebHostDefaults, HostDefaults).</summary>
    private static readonly HashSet<string> FlatSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "urls", "http_ports", "https_ports", "environment", "applicationName", "contentRoot", "webroot", "AllowedHosts",
    };

    /// <summary>The command name: the first token that is not a configuration switch, if it is one of <paramref name="commands"/>.</summary>
    public static string? FindCommand(IReadOnlyList<string> args, IReadOnlySet<string> commands)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (ConfigurationSwitchLength(args, i) is int length)
            {
                i += length - 1;
                continue;
            }

            return commands.Contains(args[i]) ? args[i] : null;
        }

        return null;
    }

    /// <summary>
    /// The command's options (name without "--", case-insensitive) from "--name value" or
    /// "--name=value"; configuration switches skipped. Null, with the reason, when a token is
    /// neither, or an option has no value.
    /// </summary>
    public static Dictionary<string, string>? ParseOptions(IReadOnlyList<string> args, string command, IReadOnlyCollection<string> known, out string? error)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var commandSeen = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!commandSeen && arg == command)
            {
                commandSeen = true;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal) && OptionName(arg, known) is string name)
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                if (equals >= 0)
                {
                    options[name] = arg[(equals + 1)..];
                }
                else if (i + 1 < args.Count)
                {
                    options[name] = args[++i];
                }
                else
                {
                    error = $"--{name} needs a value.";
                    return null;
                }

                continue;
            }

            if (ConfigurationSwitchLength(args, i) is int length)
            {
                i += length - 1;
                continue;
            }

            error = arg.StartsWith('-')
                ? $"Unknown option {arg.Split('=')[0]} for {command}. (Configuration switches name a section, e.g. --ConnectionStrings:MerchantPortal=\"Data Source=...\".)"
                : $"Unexpected argument '{arg}' for {command}.";
            return null;
        }

        error = null;
        return options;
    }

    /// <summary>The option's name when <paramref name="arg"/> is "--name" or "--name=..." for a known option.</summary>
    private static string? OptionName(string arg, IReadOnlyCollection<string> known)
    {
        var name = arg[2..].Split('=', 2)[0];
        return known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>How many tokens the configuration switch at <paramref name="index"/> takes (1 or 2); null when it is not one.</summary>
    private static int? ConfigurationSwitchLength(IReadOnlyList<string> args, int index)
    {
        var arg = args[index];
        var prefix = arg.StartsWith("--", StringComparison.Ordinal) ? 2 : arg.StartsWith('/') ? 1 : 0;
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
        {
            return IsConfigurationKey(arg[prefix..equals]) ? 1 : null;
        }

        // "--Key Value": the provider takes the next token as the value (and ignores a switch
        // left without one, so does this).
        return prefix > 0 && IsConfigurationKey(arg[prefix..]) ? Math.Min(2, args.Count - index) : null;
    }

    private static bool IsConfigurationKey(string key) =>
        key.Length > 0 && (key.Contains(':', StringComparison.Ordinal) || FlatSettings.Contains(key));
}
