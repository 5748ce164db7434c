using MerchantPortal.Bench.Circuits;

namespace MerchantPortal.Bench.Reconnect;

/// <summary>Signs each merchant in once (password hashing is deliberately slow), a few at a time, as ProbeRunner does.</summary>
public static class FleetSessions
{
    /// <exception cref="InvalidOperationException">A sign-in failed; the message names the account.</exception>
    public static async Task<IReadOnlyList<MerchantSession>> SignInAsync(HttpClient http, Uri baseAddress, IReadOnlyList<string> emails, string password, int concurrency = 4)
    {
        ArgumentNullException.ThrowIfNull(emails);
        var sessions = new MerchantSession[emails.Count];
        await Parallel.ForAsync(0, emails.Count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            try
            {
                sessions[i] = await MerchantSession.SignInAsync(http, baseAddress, emails[i], password, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                throw new InvalidOperationException($"sign-in as {emails[i]} at {baseAddress} failed: {e.Message}", e);
            }
        });
        return sessions;
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1) of an ascending list, nearest rank; NaN when empty.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
