using System.Diagnostics;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>A polling assertion: the condition must come true before the deadline.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string failure, TimeSpan? deadline = null)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < (deadline ?? TimeSpan.FromSeconds(10)), failure);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The same with an asynchronous condition (an HTTP probe, a query).</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string failure, TimeSpan? deadline = null)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < (deadline ?? TimeSpan.FromSeconds(10)), failure);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
