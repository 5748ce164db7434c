using System.Globalization;
using System.Xml.Linq;
using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Tests.Sweep;

public sealed class SweepReportTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void SingleRunsAreReportedAsTheirOwnFigures()
    {
        SweepRow[] rows = [Row("push:1s", 1_000, 1, idle: 1, p99: 990), Row("poll:10s", 1_000, 1, idle: 100, p99: 9_900)];

        var markdown = SweepReport.Markdown(rows);

        Assert.StartsWith("One run per row.\n", markdown, StringComparison.Ordinal);
        Assert.Contains(
            "| sqlite | push:1s | 1,000 | 1 run | 1,000 / 0 / 0 | 150 | 400 | 420 | 1.00 | 12.00 | 1.50 | 2 | 10 | n/a | 400 / 400 (0) | 500 | 950 | 990 | 1,040 |\n",
            markdown, StringComparison.Ordinal);
        Assert.Contains("| sqlite | poll:10s | 1,000 | 1 run | 1,000 / 0 / 0 | 150 | 400 | 420 | 100.00 |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("–", markdown, StringComparison.Ordinal);
        Assert.Contains("| sqlite | poll:10s | push:1s | 1,000 | 10 | 100.0× | 1.0× | 1.0× | 1.0× | 10.0× |\n", markdown, StringComparison.Ordinal);
        AssertTablesAreWellFormed(markdown);
    }

    [Fact]
    public void RepeatedRunsAreReportedAsMedianAndRange()
    {
        SweepRow[] rows =
        [
            Row("push:1s", 5_000, 1, idle: 1.2, p99: 1_010),
            Row("push:1s", 5_000, 2, idle: 0.9, p99: 990) with { Held = 4_990, Failed = 10 },
            Row("push:1s", 5_000, 3, idle: 1.0, p99: 1_000) with { HeapPerCircuitKiB = null },
        ];

        var markdown = SweepReport.Markdown(rows);

        Assert.StartsWith("Each figure is the median of the row's runs (of an even number, the mean of the middle two)", markdown, StringComparison.Ordinal);
        Assert.Contains(
            "| sqlite | push:1s | 5,000 | 3 runs | 5,000 (4,990–5,000) / 0 (0–10) / 0 | 150 | 400 | 420 | 1.00 (0.90–1.20) | 12.00 | 1.50 | 2 | 10 | n/a | 400 / 400 (0) | 500 | 950 | 1,000 (990–1,010) | 1,040 |\n",
            markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMedianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo()
    {
        SweepRow[] rows =
        [
            Row("push:1s", 1_000, 1, idle: 1, p99: 1_000) with { Held = 999, Missing = 1 },
            Row("push:1s", 1_000, 2, idle: 2, p99: 1_100),
        ];

        var markdown = SweepReport.Markdown(rows);

        Assert.Contains(
            "| sqlite | push:1s | 1,000 | 2 runs | 999.5 (999–1,000) / 0 / 0 | 150 | 400 | 420 | 1.50 (1.00–2.00) | 12.00 | 1.50 | 2 | 10 | n/a | 400 / 400 (0.5 (0–1)) | 500 | 950 | 1,050 (1,000–1,100) | 1,040 |\n",
            markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void RatiosAreOfTheMedians()
    {
        // Means would give 110 / 1.17 = 94.3×; medians give 100 / 1 = 100×.
        SweepRow[] rows =
        [
            Row("push:1s", 10_000, 1, idle: 0.5, p99: 1_000),
            Row("poll:10s", 10_000, 1, idle: 90, p99: 9_000),
            Row("push:1s", 10_000, 2, idle: 1, p99: 1_000),
            Row("poll:10s", 10_000, 2, idle: 100, p99: 10_000),
            Row("push:1s", 10_000, 3, idle: 2, p99: 1_000),
            Row("poll:10s", 10_000, 3, idle: 140, p99: 10_000),
        ];

        var markdown = SweepReport.Markdown(rows);

        Assert.Contains("Baseline ÷ product at the same number of dashboards (medians):", markdown, StringComparison.Ordinal);
        Assert.Contains("| sqlite | poll:10s | push:1s | 10,000 | 10 | 100.0× | 1.0× | 1.0× | 1.0× | 10.0× |\n", markdown, StringComparison.Ordinal);
        AssertTablesAreWellFormed(markdown);
    }

    [Fact]
    public void CellsKeepTheOrderTheyFirstRanInAndCountTheirRuns()
    {
        SweepRow[] rows =
        [
            Row("push:1s", 1_000, 1, idle: 1, p99: 1), Row("poll:10s", 1_000, 1, idle: 1, p99: 1), Row("push:1s", 5_000, 1, idle: 1, p99: 1),
            Row("push:1s", 1_000, 2, idle: 1, p99: 1), Row("push:1s", 5_000, 2, idle: 1, p99: 1),
        ];

        var cells = SweepCell.Group(rows);

        Assert.Equal([("push:1s", 1_000, 2), ("poll:10s", 1_000, 1), ("push:1s", 5_000, 2)], cells.Select(c => (c.Mode, c.Circuits, c.Runs)));
        var markdown = SweepReport.Markdown(rows);
        Assert.Contains("| sqlite | poll:10s | 1,000 | 1 run |", markdown, StringComparison.Ordinal);
        Assert.Contains("| sqlite | push:1s | 5,000 | 2 runs |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHarnessTableShowsItsOwnCostWhereMeasured()
    {
        SweepRow[] rows =
        [
            Row("push:1s", 2_000, 1, idle: 1, p99: 1) with { HarnessHeapPerCircuitKiB = 14.2, HarnessRssPerCircuitKiB = 30, HarnessStartupCpuMsPerCircuit = 1.5, HarnessIdleCpuPercent = 3, HarnessWriteCpuPercent = 8 },
            Row("push:1s", 2_000, 2, idle: 1, p99: 1) with { HarnessHeapPerCircuitKiB = 14.6, HarnessRssPerCircuitKiB = 32, HarnessStartupCpuMsPerCircuit = 1.5, HarnessIdleCpuPercent = 3, HarnessWriteCpuPercent = 8 },
            Row("poll:10s", 2_000, 1, idle: 1, p99: 1),
        ];

        var markdown = SweepReport.Markdown(rows);

        Assert.Contains("| sqlite | push:1s | 2,000 | 10 | 2 runs | 14.4 (14.2–14.6) | 31.0 (30.0–32.0) | 1.50 | 3.0 | 8.0 |\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| sqlite | poll:10s | 2,000 | 10 | 1 run | n/a", markdown, StringComparison.Ordinal); // not measured: no harness row
        AssertTablesAreWellFormed(markdown);
        Assert.DoesNotContain("harness's own", SweepReport.Markdown([rows[2]]), StringComparison.Ordinal);
    }

    [Fact]
    public void AFigureNoRunMeasuredIsNotAvailable()
    {
        var markdown = SweepReport.Markdown([Row("push:1s", 1_000, 1, idle: 1, p99: 1) with { HeapPerCircuitKiB = null, P50Ms = null }]);

        Assert.Contains("| 150 | n/a | 420 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| n/a | 950 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartsOfSingleRunsHaveOnePointPerSizePerModeAndNoRangeBars()
    {
        var rows = Sweep(repeats: 1);

        foreach (var chart in new[] { SweepReport.QueriesChart(rows), SweepReport.LatencyChart(rows) })
        {
            var svg = XDocument.Parse(chart).Root!;
            var series = SeriesOf(svg);
            Assert.Equal(["product: one change poller, every 1s", "baseline: each dashboard polls every 10s"], series.Select(s => s.Attribute("data-name")?.Value));
            Assert.All(series, s => Assert.Equal(3, PolylinePoints(s).Count));
            Assert.All(series, s => Assert.Equal(3 + 1, s.Elements(Svg + "circle").Count())); // one marker per size, one legend swatch
            Assert.DoesNotContain(svg.Descendants(Svg + "g"), g => g.Attribute("class")?.Value == "range");
        }
    }

    [Fact]
    public void ChartsOfRepeatedRunsDrawTheMedianWithARangeBarAtEachPoint()
    {
        var rows = Sweep(repeats: 3);

        var svg = XDocument.Parse(SweepReport.QueriesChart(rows)).Root!;

        var series = SeriesOf(svg);
        Assert.Equal(2, series.Count);
        foreach (var line in series)
        {
            var points = PolylinePoints(line);
            var bars = line.Elements(Svg + "g").Where(g => g.Attribute("class")?.Value == "range").ToList();
            Assert.Equal(3, points.Count);
            Assert.Equal(3, bars.Count);
            for (var i = 0; i < 3; i++)
            {
                // The vertical stroke at the point's x, from below the median's marker to above it (SVG y grows downwards).
                var stroke = bars[i].Elements(Svg + "line").First();
                Assert.Equal(points[i].X, Coordinate(stroke, "x1"));
                Assert.Equal(points[i].X, Coordinate(stroke, "x2"));
                Assert.True(Coordinate(stroke, "y1") > points[i].Y && points[i].Y > Coordinate(stroke, "y2"), $"{stroke} around {points[i]}");
                Assert.Equal(3, bars[i].Elements(Svg + "line").Count()); // the stroke and two caps
            }
        }

        // The median (not the mean) is the value shown: runs of 1, 2 and 9 queries/s show 2.
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Attribute("class")?.Value == "value" && t.Value == "2");
        Assert.DoesNotContain(svg.Descendants(Svg + "text"), t => t.Attribute("class")?.Value == "value" && t.Value == "4");
    }

    [Fact]
    public void EachWriteRateHasItsOwnTableAndAShortWriterIsFlagged()
    {
        SweepRow[] rows =
        [
            Row("push:1s", 1_000, 1, idle: 1, p99: 1_000) with { Database = "postgres", WriteRate = 10, AchievedRate = 10 },
            Row("push:1s", 1_000, 1, idle: 1, p99: 1_200) with { Database = "postgres", WriteRate = 500, AchievedRate = 300 },
            Row("push:1s+notify", 1_000, 1, idle: 1, p99: 40) with { Database = "postgres", WriteRate = 10, AchievedRate = 10 },
            Row("push:1s+notify", 1_000, 1, idle: 1, p99: 90) with { Database = "postgres", WriteRate = 500, AchievedRate = 490 },
        ];

        var markdown = SweepReport.Markdown(rows);

        Assert.Equal(4, SweepCell.Group(rows).Count);
        var at500 = markdown[markdown.IndexOf("Writing 500 orders/s", StringComparison.Ordinal)..];
        Assert.Contains("Writing 10 orders/s", markdown[..^at500.Length], StringComparison.Ordinal);
        Assert.Contains("| postgres | push:1s | 1,000 | 1 run | 1,000 / 0 / 0 | 150 | 400 | 420 | 1.00 | 12.00 | 1.50 | 2 | 10 | 300 (short) | 400 / 400 (0) | 500 | 950 | 1,200 | 1,040 |\n", at500, StringComparison.Ordinal);
        Assert.Contains("| postgres | push:1s+notify | 1,000 | 1 run | 1,000 / 0 / 0 | 150 | 400 | 420 | 1.00 | 12.00 | 1.50 | 2 | 10 | 490 | 400 / 400 (0) |", at500, StringComparison.Ordinal);
        AssertTablesAreWellFormed(markdown);
    }

    [Fact]
    public void TheWriteRateChartHasOneLinePerDatabaseModeAndSizeAcrossTheRates()
    {
        SweepRow[] rows =
        [
            Row("push:1s", 1_000, 1, idle: 1, p99: 1_000) with { WriteRate = 10 },
            Row("push:1s", 1_000, 1, idle: 1, p99: 1_500) with { WriteRate = 500 },
            Row("push:1s+notify", 1_000, 1, idle: 1, p99: 40) with { Database = "postgres", WriteRate = 10 },
            Row("push:1s+notify", 1_000, 1, idle: 1, p99: 90) with { Database = "postgres", WriteRate = 500 },
        ];

        var svg = XDocument.Parse(SweepReport.LatencyByWriteRateChart(rows)).Root!;

        var series = SeriesOf(svg);
        Assert.Equal(
            ["sqlite · product: one change poller, every 1s · 1,000 dashboards", "postgres · product: one change poller, every 1s, woken by NOTIFY · 1,000 dashboards"],
            series.Select(s => s.Attribute("data-name")?.Value));
        Assert.All(series, s => Assert.Equal(2, PolylinePoints(s).Count));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "500");
        // The other two charts show each database's line once, the idle figure from one write window.
        var queries = SeriesOf(XDocument.Parse(SweepReport.QueriesChart(rows)).Root!);
        Assert.Equal(["sqlite · product: one change poller, every 1s", "postgres · product: one change poller, every 1s, woken by NOTIFY"],
            queries.Select(s => s.Attribute("data-name")?.Value));
        Assert.All(queries, s => Assert.Single(PolylinePoints(s)));
    }

    /// <summary>Product and baseline at three sizes; with repeats, idle queries/s of 1, 2 and 9 (product) and 100, 200, 900 (baseline).</summary>
    private static List<SweepRow> Sweep(int repeats)
    {
        double[] factors = [2, 1, 9];
        var rows = new List<SweepRow>();
        for (var repeat = 1; repeat <= repeats; repeat++)
        {
            var factor = repeats == 1 ? 1 : factors[repeat - 1];
            foreach (var size in new[] { 1_000, 5_000, 10_000 })
            {
                rows.Add(Row("push:1s", size, repeat, idle: factor, p99: 1_000 * factor));
                rows.Add(Row("poll:10s", size, repeat, idle: 100 * factor, p99: 10_000 * factor));
            }
        }

        return rows;
    }

    private static SweepRow Row(string mode, int circuits, int repeat, double idle, double p99)
    {
        Assert.True(SweepMode.TryParse(mode, out var parsed));
        return new SweepRow
        {
            Mode = mode,
            Description = parsed!.Description,
            Circuits = circuits,
            Merchants = 1_000,
            Repeat = repeat,
            Held = circuits,
            Failed = 0,
            Dropped = 0,
            StartupPerSecond = 150,
            HeapPerCircuitKiB = 400,
            RssPerCircuitKiB = 420,
            IdleQueriesPerSecond = idle,
            IdleCpuPercent = 2,
            WriteQueriesPerSecond = 12,
            WritePollerQueriesPerSecond = 1.5,
            WriteCpuPercent = 10,
            OrdersWritten = 400,
            Deliveries = 400,
            Missing = 0,
            P50Ms = 500,
            P95Ms = 950,
            P99Ms = p99,
            MaxMs = 1_040,
        };
    }

    /// <summary>Every line of a table has as many cells as its header.</summary>
    private static void AssertTablesAreWellFormed(string markdown)
    {
        foreach (var table in markdown.Split("\n\n").Where(block => block.StartsWith('|')))
        {
            var lines = table.TrimEnd('\n').Split('\n');
            Assert.True(lines.Length >= 3, table);
            Assert.All(lines, line => Assert.Equal(lines[0].Count(c => c == '|'), line.Count(c => c == '|')));
        }
    }

    private static List<XElement> SeriesOf(XElement svg) =>
        [.. svg.Elements(Svg + "g").Where(g => g.Attribute("class")?.Value == "series")];

    private static List<(double X, double Y)> PolylinePoints(XElement series) =>
        [.. series.Element(Svg + "polyline")!.Attribute("points")!.Value
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split(','))
            .Select(xy => (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture)))];

    private static double Coordinate(XElement element, string attribute) =>
        double.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);
}
