using System.Globalization;
using Microsoft.Playwright;

namespace MerchantPortal.Tests.Browser;

/// <summary>A merchant's tab with a recorder of every badge change (browser clock, ms).</summary>
public sealed class LivePage(IPage page)
{
    // Records each new badge text with Date.now(), so latency is measured where the merchant sees it.
    private const string RecorderScript = """
        (() => {
            window.__badgeChanges = [];
            let last = null;
            const record = () => {
                const badge = document.querySelector('[data-testid="new-order-badge"]');
                const text = badge ? badge.textContent.trim() : null;
                if (text !== null && text !== last) { last = text; window.__badgeChanges.push({ text, at: Date.now() }); }
            };
            new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true });
            record();
        })();
        """;

    public IPage Page => page;

    public ILocator Badge => page.GetByTestId("new-order-badge");

    public ILocator Toasts => page.GetByTestId("order-toast");

    public async Task StartRecordingAsync() => await page.EvaluateAsync(RecorderScript);

    public async Task<long> BrowserNowAsync() => await page.EvaluateAsync<long>("Date.now()");

    /// <summary>When (browser clock) the badge first showed <paramref name="count"/>.</summary>
    public async Task<long> WhenBadgeShowedAsync(int count)
    {
        var text = count.ToString(CultureInfo.InvariantCulture);
        await Assertions.Expect(Badge).ToHaveTextAsync(text);
        return await page.EvaluateAsync<long>("t => window.__badgeChanges.filter(c => c.text === t).at(-1).at", text);
    }
}
