using System.Diagnostics;
using MerchantPortal.Bench.Floor;

namespace MerchantPortal.Bench.Tests.Floor;

/// <summary>
/// The floor and push-floor commands' short forms, each starting its own processes: 100 circuits on the
/// minimal app and 100 alerts-on dashboards (one repeat), and 100 push-floor circuits receiving every push.
/// </summary>
public sealed class FloorCommandTests
{
    [Fact]
    public async Task TheFloorCommandHoldsAHundredCircuitsOnBothAppsAndReportsTheRatioAndTheTypesAboveTheFloor()
    {
        var output = new StringWriter();
        var log = new StringWriter();
        var clock = Stopwatch.StartNew();
        var exit = await FloorCommand.RunAsync(["--circuits", "100", "--merchants", "10", "--repeats", "1", "--settle", "1s", "--idle", "2s"], output, log);

        TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s\n{output}\n{log}");
        Assert.True(exit == 0, $"floor exit {exit}\n{output}\n{log}");
        var text = output.ToString();
        Assert.Matches(@"\| floor \| 1 \| 100 / 0 / 0 \| \d+\.\d \| \d+\.\d \|", text);
        Assert.Matches(@"\| alerts on \| 1 \| 100 / 0 / 0 \| \d+\.\d \| \d+\.\d \|", text);
        Assert.Matches(@"\| heap KiB/circuit \| \d+\.\d \| \d+\.\d \| \d+\.\d\d× \|", text);
        // The dashboard's components hold render trees the one-line floor does not.
        Assert.Matches(@"\d[\d,]* +[\d,]+ +[\d,]+  Microsoft\.AspNetCore\.Components\.RenderTree\.RenderTreeFrame\[\]", text);
        Assert.Matches(@"100 armed checks, \d+ alert calls answered", log.ToString());
    }

    [Fact]
    public async Task ThePushFloorDeliversEveryPushToEveryCircuitOfItsGroup()
    {
        var output = new StringWriter();
        var log = new StringWriter();
        var exit = await PushFloorCommand.RunAsync(["--circuits", "100", "--groups", "10", "--rates", "20", "--for", "3s", "--settle", "1s"], output, log);

        TestContext.Current.TestOutputHelper?.WriteLine($"{output}\n{log}");
        Assert.True(exit == 0, $"push-floor exit {exit}\n{output}\n{log}");
        // 20/s for 3 s, each push to the 10 circuits of its group, none missing.
        var row = Assert.Single(output.ToString().Split('\n'), l => l.StartsWith("| 20 |", StringComparison.Ordinal));
        var counts = System.Text.RegularExpressions.Regex.Match(row, @"\| 100 / 0 \| [^|]+ \| (\d+) / (\d+) \(0\) \|");
        Assert.True(counts.Success, row);
        var pushes = int.Parse(counts.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(pushes, 50, 70);
        Assert.Equal(10 * pushes, int.Parse(counts.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
