using System.Globalization;
using System.Xml.Linq;
using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Tests.Sweep;

public sealed class SweepChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly ChartSeries[] QueriesPerSecond =
    [
        new("product (push), poll 1 s", [new(1_000, 1), new(5_000, 1), new(10_000, 1)]),
        new("baseline: each dashboard polls every 10 s", [new(1_000, 100), new(5_000, 500), new(10_000, 1_000)]),
        new("baseline: every 1 s", [new(1_000, 1_000), new(5_000, 5_000), new(10_000, 10_000)]),
    ];

    [Fact]
    public void TheOutputIsAnSvgDocumentWithOneLineAndOneLegendEntryPerSeries()
    {
        var svg = Parse(SweepChart.Render("Queries per second vs open dashboards", "open dashboards", "queries per second", QueriesPerSecond));

        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal("800", svg.Attribute("width")?.Value);
        Assert.Equal("500", svg.Attribute("height")?.Value);
        Assert.Equal("0 0 800 500", svg.Attribute("viewBox")?.Value);
        Assert.Equal(3, svg.Descendants(Svg + "polyline").Count());
        var groups = Series(svg);
        Assert.Equal(QueriesPerSecond.Select(s => s.Name), groups.Select(g => g.Attribute("data-name")?.Value));
        Assert.All(groups, g => Assert.Single(g.Elements(Svg + "polyline")));
        Assert.Equal(QueriesPerSecond.Select(s => s.Name), TextsOfClass(svg, "legend"));
        Assert.All(groups, g => Assert.Equal(3 + 1, g.Elements(Svg + "circle").Count())); // three markers, one legend swatch
        Assert.Equal(["open dashboards"], TextsOfClass(svg, "x-label"));
        Assert.Equal(["queries per second"], TextsOfClass(svg, "y-label"));
        Assert.Contains(svg.Elements(Svg + "text"), t => t.Value == "Queries per second vs open dashboards");
        Assert.Equal(["1,000", "5,000", "10,000"], TextsOfClass(svg, "x-tick"));
        // Distinct line colours.
        Assert.Equal(3, svg.Descendants(Svg + "polyline").Select(p => p.Attribute("stroke")?.Value).Distinct().Count());
    }

    [Fact]
    public void TheLogScaleSpacesDecadesEquallyAndPutsLargerValuesHigher()
    {
        var svg = Parse(SweepChart.Render("t", "x", "y", QueriesPerSecond));
        var baseline = Points(Series(svg)[2]);
        var push = Points(Series(svg)[0]);

        // 1,000 -> 5,000 -> 10,000: higher on the page (smaller SVG y) as the value grows.
        Assert.True(baseline[0].Y > baseline[1].Y && baseline[1].Y > baseline[2].Y, string.Join(" ", baseline));
        // log10(5,000/1,000) = 0.699 and log10(10,000/5,000) = 0.301 of one decade's height.
        var decade = baseline[0].Y - baseline[2].Y;
        Assert.Equal(0.699 * decade, baseline[0].Y - baseline[1].Y, 1.0);
        // The push line (1 query per second) is three decades below the 1,000 of the 1 s baseline.
        Assert.Equal(3 * decade, push[0].Y - baseline[0].Y, 0.5);
        Assert.Equal(push[0].Y, push[2].Y);
        // Left to right in x order.
        Assert.True(baseline[0].X < baseline[1].X && baseline[1].X < baseline[2].X);
    }

    [Fact]
    public void LogTicksAreTheWholeDecadesAroundTheData()
    {
        var svg = Parse(SweepChart.Render("t", "x", "y", [new("s", [new(1, 0.5), new(2, 2_000)])]));

        Assert.Equal(["0.1", "1", "10", "100", "1,000", "10,000"], TextsOfClass(svg, "y-tick"));
        var tickY = svg.Elements(Svg + "text").Where(t => t.Attribute("class")?.Value == "y-tick").Select(t => Coordinate(t, "y")).ToList();
        Assert.Equal(tickY.OrderDescending(), tickY); // 0.1 at the bottom, 10,000 at the top
        var gaps = tickY.Zip(tickY.Skip(1), (a, b) => a - b).ToList();
        Assert.All(gaps, gap => Assert.Equal(gaps[0], gap, 0.05));

        // A point on a decade sits on that decade's tick (labels are drawn 4 px below the line they name).
        var point = Points(Series(svg)[0]);
        Assert.Equal(tickY[0] - 4 - (Math.Log10(0.5 / 0.1) * gaps[0]), point[0].Y, 0.05);
        Assert.Equal(["0.5", "2,000"], TextsOfClass(svg, "value"));
    }

    [Fact]
    public void OneDecadeOfDataStillGetsTwoTicks()
    {
        var svg = Parse(SweepChart.Render("t", "x", "y", [new("s", [new(1, 10), new(2, 10)])]));

        Assert.Equal(["10", "100"], TextsOfClass(svg, "y-tick"));
    }

    [Fact]
    public void TheLinearScaleStartsAtZeroAndKeepsDistancesProportional()
    {
        var svg = Parse(SweepChart.Render("p99 latency vs open dashboards", "open dashboards", "p99 (ms)",
            [new("p99", [new(1_000, 10), new(5_000, 20), new(10_000, 40)])], ChartScale.Linear));

        Assert.Equal(["0", "10", "20", "30", "40"], TextsOfClass(svg, "y-tick"));
        var p = Points(Series(svg)[0]);
        Assert.Equal(2 * (p[0].Y - p[1].Y), p[1].Y - p[2].Y, 0.05);
        var zero = Coordinate(svg.Elements(Svg + "text").First(t => t.Attribute("class")?.Value == "y-tick"), "y") - 4;
        Assert.Equal(zero - p[0].Y, p[0].Y - p[1].Y, 0.05); // 0 -> 10 is as far as 10 -> 20
    }

    [Fact]
    public void TextIsEscapedAndReadsBackUnchanged()
    {
        const string title = "p99 < 1 s & \"push\" > 'poll'";
        const string name = "<script>alert(1)</script> & co";
        var text = SweepChart.Render(title, "N < 10,000", "q/s & more", [new(name, [new(1, 5)])]);

        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", text, StringComparison.Ordinal);
        var svg = Parse(text);
        Assert.Contains(svg.Elements(Svg + "text"), t => t.Value == title);
        Assert.Equal([name], TextsOfClass(svg, "legend"));
        Assert.Equal(["N < 10,000"], TextsOfClass(svg, "x-label"));
        Assert.Equal(["q/s & more"], TextsOfClass(svg, "y-label"));
        Assert.Empty(svg.Descendants(Svg + "script"));
    }

    [Fact]
    public void NumbersAreInvariantWhateverTheCurrentCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        string text;
        try
        {
            text = SweepChart.Render("t", "x", "y", [new("s", [new(1_000, 1_234.5), new(5_000, 0.25), new(10_000, 12.5)])]);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        var svg = Parse(text);
        Assert.Equal(["1,000", "5,000", "10,000"], TextsOfClass(svg, "x-tick"));
        Assert.Equal(["1,235", "0.25", "12.5"], TextsOfClass(svg, "value"));
        var pairs = svg.Descendants(Svg + "polyline").Single().Attribute("points")!.Value.Split(' ');
        Assert.Equal(3, pairs.Length);
        Assert.All(pairs, pair =>
        {
            var xy = pair.Split(',');
            Assert.Equal(2, xy.Length);
            Assert.All(xy, n => Assert.True(double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out _), pair));
        });
    }

    [Fact]
    public void ValuesALogScaleCannotShowAreLeftOut()
    {
        var svg = Parse(SweepChart.Render("t", "x", "y",
            [new("has a zero", [new(1, 0), new(2, 5), new(3, 50)]), new("fine", [new(1, 1), new(2, 2), new(3, 3)])]));

        Assert.Equal(2, Points(Series(svg)[0]).Count);
        Assert.Equal(3, Points(Series(svg)[1]).Count);
        Assert.Equal(["1", "2", "3"], TextsOfClass(svg, "x-tick")); // the step stays, from the other series
        Assert.Throws<ArgumentException>(() => SweepChart.Render("t", "x", "y", [new("zeros", [new(1, 0), new(2, -1)])]));
        Assert.Throws<ArgumentException>(() => SweepChart.Render("t", "x", "y", []));
        // The same zero is an ordinary value on a linear scale.
        Assert.Equal(3, Points(Series(Parse(SweepChart.Render("t", "x", "y", [new("zero", [new(1, 0), new(2, 5), new(3, 50)])], ChartScale.Linear)))[0]).Count);
    }

    [Fact]
    public void APointWithARangeGetsAThinBarWithCapsFromMinToMax()
    {
        var svg = Parse(SweepChart.Render("t", "x", "y",
            [new("s", [new(1, 20, Low: 10, High: 40), new(2, 20)])], ChartScale.Linear));

        // The axis reaches the top of the bar, though no median does.
        Assert.Equal(["0", "10", "20", "30", "40"], TextsOfClass(svg, "y-tick"));
        var tickY = svg.Elements(Svg + "text").Where(t => t.Attribute("class")?.Value == "y-tick").Select(t => Coordinate(t, "y") - 4).ToList();
        var bar = Assert.Single(Series(svg)[0].Elements(Svg + "g"), g => g.Attribute("class")?.Value == "range");
        var lines = bar.Elements(Svg + "line").ToList();
        Assert.Equal(3, lines.Count);
        var (stroke, lowCap, highCap) = (lines[0], lines[1], lines[2]);
        var x = Points(Series(svg)[0])[0].X;
        Assert.Equal((x, x), (Coordinate(stroke, "x1"), Coordinate(stroke, "x2")));
        Assert.Equal(tickY[1], Coordinate(stroke, "y1"), 0.05); // 10
        Assert.Equal(tickY[4], Coordinate(stroke, "y2"), 0.05); // 40
        Assert.Equal((Coordinate(stroke, "y1"), Coordinate(stroke, "y1")), (Coordinate(lowCap, "y1"), Coordinate(lowCap, "y2")));
        Assert.Equal((Coordinate(stroke, "y2"), Coordinate(stroke, "y2")), (Coordinate(highCap, "y1"), Coordinate(highCap, "y2")));
        Assert.True(Coordinate(lowCap, "x1") < x && x < Coordinate(lowCap, "x2"));
        Assert.True(double.Parse(stroke.Attribute("stroke-width")!.Value, CultureInfo.InvariantCulture) < 2.5, "thinner than the line");
    }

    [Fact]
    public void PointsWithoutARangeGetNoBar()
    {
        var svg = Parse(SweepChart.Render("t", "x", "y", [new("s", [new(1, 5), new(2, 6, Low: 4), new(3, 7, High: 8)])]));

        Assert.DoesNotContain(svg.Descendants(Svg + "g"), g => g.Attribute("class")?.Value == "range");
    }

    [Fact]
    public void OnALogScaleARangeDownToZeroRunsToTheBottomOfThePlot()
    {
        var svg = Parse(SweepChart.Render("t", "x", "y", [new("s", [new(1, 2, Low: 0, High: 3), new(2, 1)])]));

        var stroke = svg.Descendants(Svg + "g").Single(g => g.Attribute("class")?.Value == "range").Elements(Svg + "line").First();
        var xAxis = svg.Elements(Svg + "line").Last(); // drawn last of the axes: along the bottom of the plot
        Assert.Equal(Coordinate(xAxis, "y1"), Coordinate(stroke, "y1"));
        Assert.Equal(["1", "10"], TextsOfClass(svg, "y-tick"));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(0.01, "0.01")]
    [InlineData(1, "1")]
    [InlineData(10_000, "10,000")]
    [InlineData(1_000_000, "1,000,000")]
    public void TickLabels(double value, string expected) => Assert.Equal(expected, SweepChart.FormatTick(value));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(0.0456789, "0.0457")]
    [InlineData(0.5, "0.5")]
    [InlineData(3.14159, "3.14")]
    [InlineData(42.26, "42.3")]
    [InlineData(999.6, "1,000")]
    [InlineData(12_345.4, "12,345")]
    public void ValueLabels(double value, string expected) => Assert.Equal(expected, SweepChart.FormatValue(value));

    private static XElement Parse(string text) => XDocument.Parse(text).Root!;

    private static List<XElement> Series(XElement svg) =>
        svg.Elements(Svg + "g").Where(g => g.Attribute("class")?.Value == "series").ToList();

    private static List<string> TextsOfClass(XElement svg, string cssClass) =>
        svg.Descendants(Svg + "text").Where(t => t.Attribute("class")?.Value == cssClass).Select(t => t.Value).ToList();

    private static double Coordinate(XElement element, string attribute) =>
        double.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    private static List<(double X, double Y)> Points(XElement series) =>
        series.Element(Svg + "polyline")!.Attribute("points")!.Value
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split(','))
            .Select(xy => (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture)))
            .ToList();
}
