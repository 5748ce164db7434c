using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Playwright;
using Xunit.v3;

namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// Every browser context the tests open (BrowserFixture hooks the browser's Context event, so no
/// test has to ask) reports the Content-Security-Policy violations of its pages here: Chromium's
/// own console errors ("... violates the following Content Security Policy directive ...") and, from an init script, the page's
/// securitypolicyviolation events. <see cref="FailOnCspViolationsAttribute"/> (on the whole
/// assembly) fails every test during which a portal page reported one.
/// </summary>
public static class CspViolations
{
    /// <summary>The init script's console prefix.</summary>
    public const string Prefix = "CSP violation:";

    // Runs before any page script; Playwright injects it outside the page's CSP.
    private const string ListenScript =
        "document.addEventListener('securitypolicyviolation', e => console.error('" + Prefix + " ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in ' + e.sourceFile + ':' + e.lineNumber));";

    private static readonly ConcurrentQueue<(DateTime At, string Page, string Text)> Seen = new();

    /// <summary>Called once per browser: every context it creates from now on is watched.</summary>
    public static void Watch(IBrowser browser) => browser.Context += (_, context) =>
    {
        // Subscribed synchronously, before the test gets the context: no page can load first.
        context.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.Contains("Content Security Policy directive", StringComparison.Ordinal) || message.Text.StartsWith(Prefix, StringComparison.Ordinal)))
            {
                Seen.Enqueue((DateTime.UtcNow, message.Page?.Url ?? "(worker)", message.Text));
            }
        };
        // The event handler cannot await; should a page load before the script is in, Chromium's
        // own console error still reports the violation.
        _ = context.AddInitScriptAsync(ListenScript);
    };

    /// <summary>Everything reported from pages whose address starts with <paramref name="origin"/> since <paramref name="since"/>.</summary>
    public static IReadOnlyList<string> Since(DateTime since, string origin = "http://127.0.0.1") =>
        [.. Seen.Where(v => v.At >= since && v.Page.StartsWith(origin, StringComparison.Ordinal)).Select(v => $"{v.Page}: {v.Text}")];
}

/// <summary>
/// Fails a test when a portal page (served from 127.0.0.1: an app process or nginx) reported a CSP
/// violation while it ran. Tests run in parallel and a report carries no test, so a violation
/// fails every test running at the time; its message names the page.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method)]
public sealed class FailOnCspViolationsAttribute : BeforeAfterTestAttribute
{
    private static readonly ConcurrentDictionary<string, DateTime> Started = new();

    public override void Before(MethodInfo methodUnderTest, IXunitTest test) => Started[test.UniqueID] = DateTime.UtcNow;

    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        if (Started.TryRemove(test.UniqueID, out var started) && CspViolations.Since(started) is { Count: > 0 } violations)
        {
            Assert.Fail("Content-Security-Policy violations while this test ran:\n" + string.Join("\n", violations));
        }
    }
}
