namespace MerchantPortal.Admin;

/// <summary>
/// One-line text from a form or the command line (names, e-mail addresses): trimmed, and refused
/// as bad input when it holds control characters. PostgreSQL cannot store NUL at all (it would
/// fail as a database error, not as a message), and no name belongs on several lines.
/// </summary>
internal static class AdminText
{
    /// <summary>The trimmed text, or an <see cref="AdminInputException"/> naming <paramref name="field"/>.</summary>
    public static string Clean(string? value, string field, int maxLength)
    {
        var clean = (value ?? "").Trim();
        if (clean.Length == 0)
        {
            throw new AdminInputException($"{field} is required.");
        }

        if (clean.Length > maxLength)
        {
            throw new AdminInputException($"{field} can be at most {maxLength} characters.");
        }

        return HasControlCharacters(clean)
            ? throw new AdminInputException($"{field} cannot contain control characters (line breaks, tabs, NUL).")
            : clean;
    }

    public static bool HasControlCharacters(string value) => value.Any(char.IsControl);
}
