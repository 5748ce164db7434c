using System.Globalization;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// The names prepare-db gives bench merchants and their users, numbered from 1: merchant i is
/// "Bench Shop 000i" and its one user bench000i@bench.local. The load runner computes the same list.
/// </summary>
public static class BenchAccounts
{
    public const string DefaultPassword = "Demo!2345";

    /// <summary>More than any sweep needs; keeps a typo from writing millions of rows.</summary>
    public const int MaxMerchants = 100_000;

    public const string ShopPrefix = "Bench Shop ";

    public const string EmailDomain = "bench.local";

    /// <summary>"Bench Shop 0042" for 42; five digits from 10,000 on.</summary>
    public static string ShopName(int index) => ShopPrefix + Number(index);

    /// <summary>"bench0042@bench.local" for 42.</summary>
    public static string Email(int index) => $"bench{Number(index)}@{EmailDomain}";

    /// <summary>The emails of merchants 1..<paramref name="count"/>, in order.</summary>
    public static IReadOnlyList<string> Emails(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxMerchants);
        var emails = new string[count];
        for (var i = 0; i < count; i++)
        {
            emails[i] = Email(i + 1);
        }

        return emails;
    }

    private static string Number(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        return index.ToString("D4", CultureInfo.InvariantCulture);
    }
}
