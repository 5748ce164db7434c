using System.Text.Json;
using MerchantPortal.Bench.Circuits;

namespace MerchantPortal.Bench.Tests.Circuits;

public sealed class RootComponentOperationsTests
{
    [Fact]
    public void OperationsAddEveryMarkerWithSsrComponentIdsFromOne()
    {
        var json = RootComponentOperations.AddAll([PrerenderedPageTests.First, PrerenderedPageTests.Second]);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("batchId").GetInt64());
        var operations = root.GetProperty("operations").EnumerateArray().ToArray();
        Assert.Equal(2, operations.Length);
        Assert.All(operations, o => Assert.Equal("add", o.GetProperty("type").GetString()));
        Assert.Equal([1, 2], operations.Select(o => o.GetProperty("ssrComponentId").GetInt32()));
        Assert.Equal("D+0", operations[0].GetProperty("marker").GetProperty("descriptor").GetString());
        Assert.Equal("b", operations[1].GetProperty("marker").GetProperty("prerenderId").GetString());
    }
}
