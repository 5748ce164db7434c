using System.Globalization;
using System.Xml.Linq;

namespace MerchantPortal.Bench.Sweep;

/// <summary>
/// A line chart as a standalone SVG document (800 x 500), e.g. queries per second against open
/// dashboards. The x axis is categorical: every distinct x of any series is one evenly spaced step,
/// labelled with its value. A point with a range (<see cref="ChartPoint.HasRange"/>) also gets a thin
/// vertical min-max bar with caps (class "range"). Built with System.Xml.Linq, so every text is escaped
/// and the output is well-formed XML; every number is written with the invariant culture.
/// </summary>
public static class SweepChart
{
    public const int Width = 800;
    public const int Height = 500;

    private const double PlotLeft = 90;
    private const double PlotRight = Width - 40;
    private const double PlotTop = 56;
    private const double LegendLineHeight = 18;
    private const double RangeCapHalfWidth = 4;

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Colour-blind-safe (Okabe-Ito), reused in order when there are more series.</summary>
    private static readonly string[] Colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

    /// <exception cref="ArgumentException">No series, or no point that can be drawn on the chosen scale.</exception>
    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, ChartScale yScale = ChartScale.Logarithmic)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(xLabel);
        ArgumentNullException.ThrowIfNull(yLabel);
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
        {
            throw new ArgumentException("A chart needs at least one series.", nameof(series));
        }

        // Only finite points (and, on a log scale, positive values) can be placed.
        if (series.Any(s => s is null || s.Points is null || s.Name is null))
        {
            throw new ArgumentException("Every series needs a name and a list of points.", nameof(series));
        }

        var drawable = series
            .Select(s => (s.Name, Points: s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (yScale == ChartScale.Linear || p.Y > 0)).ToList()))
            .ToList();
        var allPoints = drawable.SelectMany(s => s.Points).ToList();
        if (allPoints.Count == 0)
        {
            throw new ArgumentException(
                yScale == ChartScale.Logarithmic ? "No series has a positive, finite value to draw on a log scale." : "No series has a finite value to draw.",
                nameof(series));
        }

        bool Drawable(double? y) => y is { } v && double.IsFinite(v) && (yScale == ChartScale.Linear || v > 0);
        var plotBottom = Height - 70 - (LegendLineHeight * series.Count);
        var xs = allPoints.Select(p => p.X).Distinct().Order().ToList();
        // The axis spans the range bars too, so none runs off the plot.
        var extent = allPoints.SelectMany(p => new[] { p.Y, p.Low, p.High }).Where(Drawable).Select(y => y!.Value).ToList();
        var axis = yScale == ChartScale.Logarithmic
            ? ChartAxis.Logarithmic(extent.Min(), extent.Max())
            : ChartAxis.Linear(extent.Min(), extent.Max());
        double XPosition(double x) =>
            xs.Count == 1 ? (PlotLeft + PlotRight) / 2 : PlotLeft + 40 + (xs.IndexOf(x) * (PlotRight - PlotLeft - 80) / (xs.Count - 1));
        double YPosition(double y) => plotBottom - (axis.Fraction(y) * (plotBottom - PlotTop));

        var root = new XElement(Svg + "svg",
            new XAttribute("width", Width),
            new XAttribute("height", Height),
            new XAttribute("viewBox", $"0 0 {Width} {Height}"),
            new XAttribute("font-family", "Helvetica, Arial, sans-serif"),
            new XAttribute("font-size", 12),
            new XElement(Svg + "rect", new XAttribute("width", Width), new XAttribute("height", Height), new XAttribute("fill", "white")),
            Text(Width / 2.0, 28, title, "middle", new XAttribute("font-size", 17), new XAttribute("font-weight", "bold")));

        // Horizontal grid and y tick labels.
        foreach (var tick in axis.MinorTicks)
        {
            root.Add(Line(PlotLeft, YPosition(tick), PlotRight, YPosition(tick), "#eeeeee"));
        }

        foreach (var tick in axis.Ticks)
        {
            var y = YPosition(tick);
            root.Add(
                Line(PlotLeft, y, PlotRight, y, "#cccccc"),
                Text(PlotLeft - 8, y + 4, FormatTick(tick), "end", new XAttribute("class", "y-tick")));
        }

        // X steps: a faint vertical guide and the value under the axis.
        foreach (var x in xs)
        {
            var position = XPosition(x);
            root.Add(
                Line(position, PlotTop, position, plotBottom, "#f4f4f4"),
                Line(position, plotBottom, position, plotBottom + 5, "#333333"),
                Text(position, plotBottom + 20, FormatValue(x), "middle", new XAttribute("class", "x-tick")));
        }

        root.Add(
            Line(PlotLeft, PlotTop, PlotLeft, plotBottom, "#333333"),
            Line(PlotLeft, plotBottom, PlotRight, plotBottom, "#333333"),
            Text((PlotLeft + PlotRight) / 2, plotBottom + 42, xLabel, "middle", new XAttribute("font-size", 13), new XAttribute("class", "x-label")),
            Text(22, (PlotTop + plotBottom) / 2, yLabel, "middle", new XAttribute("font-size", 13), new XAttribute("class", "y-label"),
                new XAttribute("transform", $"rotate(-90 22 {Number((PlotTop + plotBottom) / 2)})")));

        for (var i = 0; i < drawable.Count; i++)
        {
            var (name, points) = drawable[i];
            var colour = Colours[i % Colours.Length];
            var ordered = points.OrderBy(p => p.X).ToList();
            var group = new XElement(Svg + "g", new XAttribute("class", "series"), new XAttribute("data-name", name),
                new XElement(Svg + "polyline",
                    new XAttribute("points", string.Join(' ', ordered.Select(p => $"{Number(XPosition(p.X))},{Number(YPosition(p.Y))}"))),
                    new XAttribute("fill", "none"),
                    new XAttribute("stroke", colour),
                    new XAttribute("stroke-width", 2.5)));
            foreach (var point in ordered)
            {
                var (cx, cy) = (XPosition(point.X), YPosition(point.Y));
                if (point.HasRange && Drawable(point.High))
                {
                    // A low end a log scale cannot show (zero) runs to the bottom of the plot.
                    var low = Drawable(point.Low) ? YPosition(point.Low!.Value) : plotBottom;
                    group.Add(RangeBar(cx, low, YPosition(point.High!.Value), colour));
                }

                group.Add(new XElement(Svg + "circle",
                    new XAttribute("cx", Number(cx)), new XAttribute("cy", Number(cy)), new XAttribute("r", 4),
                    new XAttribute("fill", colour), new XAttribute("stroke", "white")));
                // Alternate above and below so two series meeting at one step keep their labels apart.
                group.Add(Text(cx + 6, i % 2 == 0 ? cy - 8 : cy + 16, FormatValue(point.Y), "start",
                    new XAttribute("fill", colour), new XAttribute("font-size", 11), new XAttribute("class", "value")));
            }

            var legendY = plotBottom + 64 + (i * LegendLineHeight);
            group.Add(
                Line(PlotLeft, legendY - 4, PlotLeft + 28, legendY - 4, colour, 2.5),
                new XElement(Svg + "circle", new XAttribute("cx", Number(PlotLeft + 14)), new XAttribute("cy", Number(legendY - 4)),
                    new XAttribute("r", 4), new XAttribute("fill", colour)),
                Text(PlotLeft + 36, legendY, name, "start", new XAttribute("class", "legend")));
            root.Add(group);
        }

        return new XDocument(root).ToString();
    }

    /// <summary>Tick labels: 0.1, 1, 10, 1,000, 10,000 (thousands separated, no needless decimals).</summary>
    public static string FormatTick(double value) =>
        Math.Abs(value) >= 1 || value == 0
            ? value.ToString("#,##0.##", CultureInfo.InvariantCulture)
            : value.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>Value labels: three significant figures at most below 100, whole numbers (thousands separated) above.</summary>
    public static string FormatValue(double value)
    {
        var magnitude = Math.Abs(value);
        var format = magnitude >= 100 || magnitude == 0 ? "#,##0"
            : magnitude >= 10 ? "0.#"
            : magnitude >= 1 ? "0.##"
            : null;
        return format is null
            ? Math.Round(value, Math.Min(15, 2 - (int)Math.Floor(Math.Log10(magnitude)))).ToString("0.##########", CultureInfo.InvariantCulture)
            : value.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A thin vertical line from <paramref name="low"/> to <paramref name="high"/> with a short cap at each end.</summary>
    private static XElement RangeBar(double x, double low, double high, string colour) =>
        new(Svg + "g", new XAttribute("class", "range"),
            Line(x, low, x, high, colour, 1.2),
            Line(x - RangeCapHalfWidth, low, x + RangeCapHalfWidth, low, colour, 1.2),
            Line(x - RangeCapHalfWidth, high, x + RangeCapHalfWidth, high, colour, 1.2));

    private static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static XElement Line(double x1, double y1, double x2, double y2, string colour, double width = 1) =>
        new(Svg + "line",
            new XAttribute("x1", Number(x1)), new XAttribute("y1", Number(y1)),
            new XAttribute("x2", Number(x2)), new XAttribute("y2", Number(y2)),
            new XAttribute("stroke", colour), new XAttribute("stroke-width", width.ToString(CultureInfo.InvariantCulture)));

    private static XElement Text(double x, double y, string content, string anchor, params XAttribute[] attributes) =>
        new(Svg + "text",
            new XAttribute("x", Number(x)), new XAttribute("y", Number(y)), new XAttribute("text-anchor", anchor),
            attributes, content);
}
