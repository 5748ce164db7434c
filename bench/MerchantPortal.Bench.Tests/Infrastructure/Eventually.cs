using System.Diagnostics;

namespace MerchantPortal.Bench.Tests.Infrastructure;

/// <summary>Polls a condition until a deadline: the way to wait for something that arrives asynchronously.</summary>
public static class Eventually
{
    public static async Task<bool> TrueWithinAsync(TimeSpan deadline, Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
