using MerchantPortal.Bench.Circuits;

namespace MerchantPortal.Bench.Tests.Circuits;

public sealed class PrerenderedPageTests
{
    private static readonly Uri Page = new("http://127.0.0.1:5000/");

    internal const string First = """{"type":"server","prerenderId":"a","key":{"locationHash":"H:5","formattedComponentKey":""},"sequence":0,"descriptor":"D\u002B0"}""";
    internal const string Second = """{"type":"server","prerenderId":"b","key":{"locationHash":"H:9","formattedComponentKey":""},"sequence":1,"descriptor":"D1"}""";

    [Fact]
    public void StartMarkersAreKeptVerbatimInSequenceOrderWithTheApplicationState()
    {
        var html = $$"""
            <html><body>
            <!--Blazor:{{Second}}--><p>b</p><!--Blazor:{"prerenderId":"b"}-->
            <!--Blazor:{{First}}--><p>a</p><!--Blazor:{"prerenderId":"a"}-->
            <!--Blazor-Server-Component-State:QUJD+/0=-->
            </body></html>
            """;

        var page = PrerenderedPage.Parse(Page, html);

        Assert.Equal([First, Second], page.Markers);
        Assert.Equal("QUJD+/0=", page.ApplicationState);
        Assert.Equal(Page, page.Uri);
    }

    [Fact]
    public void APageWithoutStateOrMarkersHasNeither()
    {
        var page = PrerenderedPage.Parse(Page, "<html><!-- just a comment --></html>");

        Assert.Empty(page.Markers);
        Assert.Equal("", page.ApplicationState);
    }

    [Fact]
    public void WebAssemblyMarkersAreNotTheCircuitsBusiness()
    {
        var html = """<!--Blazor:{"type":"webassembly","prerenderId":"w","assembly":"X","typeName":"Y"}--><!--Blazor:{"prerenderId":"w"}-->""";

        Assert.Empty(PrerenderedPage.Parse(Page, html).Markers);
    }

    [Fact]
    public void AStartMarkerWithoutItsEndMarkerIsRejected() =>
        Assert.Throws<FormatException>(() => PrerenderedPage.Parse(Page, $"<!--Blazor:{First}--><p>a</p>"));
}
