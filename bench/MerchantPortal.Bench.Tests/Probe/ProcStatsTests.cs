using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

public sealed class ProcStatsTests
{
    [Fact]
    public void VmRssIsReadInBytesDespiteTabPadding()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t  999 kB\nVmRSS:\t  182580 kB\nRssAnon:\t 1 kB\n";
        Assert.Equal(182580L * 1024, ProcStats.ParseVmRssBytes(status));
    }

    [Fact]
    public void NoVmRssLineMeansUnknown() => Assert.Null(ProcStats.ParseVmRssBytes("Name:\tkthreadd\n"));

    [Fact]
    public void CpuTicksAreUtimePlusStimeCountedAfterTheCommandName()
    {
        // The command name may hold spaces and ')' itself; fields 14 and 15 are 1234 and 56.
        const string stat = "16151 (odd) name) S 1 16151 1 0 -1 4194560 100 0 0 0 1234 56 0 0 20 0 30 0 12345 100 200";
        Assert.Equal(1290L, ProcStats.ParseCpuTicks(stat));
    }

    [Fact]
    public void TheRunningProcessCanBeRead()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc is Linux only");
        Assert.True(ProcStats.ReadRssBytes(Environment.ProcessId) > 0);
        Assert.True(ProcStats.ReadCpuSeconds(Environment.ProcessId) >= 0);
        Assert.True(ProcStats.ClockTicksPerSecond > 0);
    }
}
