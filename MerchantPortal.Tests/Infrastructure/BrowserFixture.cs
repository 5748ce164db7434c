using Microsoft.Playwright;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download: this workplace has no network).
/// Launched on first use so a missing browser fails the browser tests with a clear message
/// instead of every test in the assembly.
/// </summary>
public sealed class BrowserFixture : IAsyncDisposable
{
    private readonly string _chromiumPath;

    public const string ChromiumVariable = "MERCHANTPORTAL_CHROMIUM";

    // Without the networking flags Chromium keeps calling home, which this sandbox refuses.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    // The one public constructor xunit uses for the assembly fixture; tests pass a path to the internal one.
    public BrowserFixture()
        : this(Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium")
    {
    }

    internal BrowserFixture(string chromiumPath) => _chromiumPath = chromiumPath;

    public async Task<IBrowser> GetBrowserAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is not null)
            {
                return _browser;
            }

            if (!File.Exists(_chromiumPath))
            {
                throw new InvalidOperationException(
                    $"Chromium was not found at {_chromiumPath}. Browser tests need Debian's chromium package: " +
                    $"run the README's test command (bash .ci/test installs it) or apt-get install chromium, or set {ChromiumVariable}.");
            }

            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _chromiumPath,
                Headless = true,
                Args = ChromiumArgs,
            });
            CspViolations.Watch(_browser);
            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }
}
