using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

public sealed class FailureTallyTests
{
    [Fact]
    public void IdenticalReasonsAreCountedOnceMostFrequentFirst()
    {
        var tally = new FailureTally();
        tally.Add("page", "timeout");
        tally.Add("start", "refused");
        tally.Add("start", "refused");

        Assert.Equal([("start: refused", 2), ("page: timeout", 1)], tally.Grouped());
        Assert.Equal(3, tally.Total);
    }

    [Fact]
    public void TheInnermostCauseIsKept()
    {
        var e = new InvalidOperationException("The connection ended.", new IOException("outer", new TimeoutException("socket timed out")));
        Assert.Equal("InvalidOperationException: The connection ended. <- TimeoutException: socket timed out", FailureTally.Describe(e));
    }
}
