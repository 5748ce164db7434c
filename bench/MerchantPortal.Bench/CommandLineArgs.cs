using System.Globalization;

namespace MerchantPortal.Bench;

/// <summary>The bench commands' <c>--name value</c> arguments, read one way for every command.</summary>
internal static class CommandLineArgs
{
    /// <summary>
    /// The values by name (a flag's is ""), or null and an error for a name not in <paramref name="names"/>
    /// or <paramref name="flags"/>, a name without a value (none follows, or the next is a name) or a name given twice.
    /// </summary>
    public static Dictionary<string, string>? Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> names, out string error, params IReadOnlyCollection<string> flags)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count;)
        {
            var name = args[i];
            var isFlag = flags.Contains(name);
            if (!isFlag && !names.Contains(name))
            {
                error = $"unknown argument '{name}'";
                return null;
            }

            if (!isFlag && (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                error = $"{name} needs a value";
                return null;
            }

            if (!values.TryAdd(name, isFlag ? "" : args[i + 1]))
            {
                error = $"{name} given twice";
                return null;
            }

            i += isFlag ? 1 : 2;
        }

        error = "";
        return values;
    }

    /// <summary>A positive whole number; a null <paramref name="fallback"/> makes the option required.</summary>
    public static bool TryPositive(Dictionary<string, string> values, string name, int? fallback, ref string error, out int value)
    {
        if (!values.TryGetValue(name, out var text))
        {
            value = fallback ?? 0;
            if (fallback is null)
            {
                error = $"{name} is required";
                return false;
            }

            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0)
        {
            return true;
        }

        error = $"{name} must be a positive whole number, not '{text}'";
        return false;
    }

    /// <summary>A duration (<see cref="TryParseDuration"/>), zero included.</summary>
    public static bool TryDuration(Dictionary<string, string> values, string name, TimeSpan fallback, ref string error, out TimeSpan value)
    {
        if (!values.TryGetValue(name, out var text))
        {
            value = fallback;
            return true;
        }

        if (TryParseDuration(text, out value))
        {
            return true;
        }

        error = $"{name} must be a duration like 20s, 2m or 500ms, not '{text}'";
        return false;
    }

    /// <summary>"20s", "2m", "500ms", or a bare number of seconds; at most a day.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value * unit <= 86_400)
        {
            duration = TimeSpan.FromSeconds(value * unit);
            return true;
        }

        duration = default;
        return false;
    }
}
