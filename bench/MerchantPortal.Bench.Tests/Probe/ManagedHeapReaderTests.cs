using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

public sealed class ManagedHeapReaderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ReadsTheHeapOfARunningDotNetProcess()
    {
        // The test process is itself a .NET process with a diagnostic port, so it can be its own target.
        var reading = await ManagedHeapReader.ReadAfterFullGcAsync(Environment.ProcessId, Timeout);

        Assert.Null(reading.Unavailable);
        Assert.InRange(reading.Bytes!.Value, 1, long.MaxValue);
    }

    [Fact]
    public async Task AProcessWithoutADiagnosticPortIsReportedUnavailable()
    {
        // pid 1 in a container or on a host is never this user's .NET process.
        var reading = await ManagedHeapReader.ReadAfterFullGcAsync(1, Timeout);

        Assert.Null(reading.Bytes);
        Assert.Contains("pid 1", reading.Unavailable, StringComparison.Ordinal);
    }
}
