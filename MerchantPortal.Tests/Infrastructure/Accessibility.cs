using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>axe-core (Deque.AxeCore.Playwright) over the page as the user sees it now.</summary>
public static class Accessibility
{
    private static readonly HashSet<string> Blocking = ["serious", "critical"];

    /// <summary>Fails with every serious or critical violation: rule, impact, and the offending nodes.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => v.Impact is not null && Blocking.Contains(v.Impact)).ToList();
        Assert.True(blocking.Count == 0,
            $"{what}: {blocking.Count} serious or critical axe-core violation(s):\n" + string.Join("\n", blocking.Select(v =>
                $"- {v.Id} ({v.Impact}): {v.Help}\n    " + string.Join("\n    ", v.Nodes.Take(5).Select(n => n.Html)))));
    }
}
