using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.Browser;

public sealed class BrowserFixtureTests
{
    [Fact]
    public async Task MissingChromiumFailsWithAMessageSayingHowToInstallIt()
    {
        await using var fixture = new BrowserFixture("/nonexistent/chromium");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(fixture.GetBrowserAsync);

        Assert.Contains("Chromium was not found at /nonexistent/chromium", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install chromium", error.Message, StringComparison.Ordinal);
    }
}
