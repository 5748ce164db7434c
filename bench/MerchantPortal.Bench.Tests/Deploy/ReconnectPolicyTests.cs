using System.Globalization;
using System.Text.RegularExpressions;
using MerchantPortal.Bench.Reconnect;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Deploy;

/// <summary>The bench's <see cref="ReconnectPolicy"/> is reconnect.js's: the constants are read from the script itself.</summary>
public sealed partial class ReconnectPolicyTests
{
    [Fact]
    public void ThePolicysConstantsAreReconnectJss()
    {
        var script = File.ReadAllText(Path.Combine(AppProcess.AppProjectDir, "wwwroot", "js", "reconnect.js"));
        var constants = Constant().Matches(script).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

        Assert.Equal(ReconnectPolicy.FirstCap.TotalMilliseconds, constants["FirstCapMs"]);
        Assert.Equal(ReconnectPolicy.MaxCap.TotalMilliseconds, constants["MaxCapMs"]);
        Assert.Equal(ReconnectPolicy.Floor, constants["Floor"]);
        Assert.Equal(ReconnectPolicy.CircuitStartBackstop.TotalMilliseconds, constants["CircuitStartBackstopMs"]);
    }

    [GeneratedRegex(@"^\s*const (\w+) = ([0-9.]+);", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Constant();
}
