namespace MerchantPortal.Bench.Probe;

/// <summary>What one probe run measured; memory in bytes, null where it could not be read.</summary>
public sealed record ProbeFigures
{
    public required int Requested { get; init; }
    public required int Held { get; init; }
    public required int DroppedDuringHold { get; init; }
    public required IReadOnlyList<(string Reason, int Count)> Failures { get; init; }
    public required int Merchants { get; init; }
    public required TimeSpan StartupDuration { get; init; }
    public required TimeSpan HoldDuration { get; init; }
    public required long PingsSent { get; init; }
    public required int UncleanDisconnects { get; init; }
    public long? AppRssBefore { get; init; }
    public long? AppRssHeld { get; init; }
    public long? AppRssAfter { get; init; }
    public double? AppCpuSecondsDuringHold { get; init; }

    /// <summary>Managed heap after a full GC, read after sign-in before the circuits open and at the end of the hold.</summary>
    public ManagedHeapReading? AppHeapBefore { get; init; }
    public ManagedHeapReading? AppHeapHeld { get; init; }
    public long? ProbeRssHeld { get; init; }
    public long? ProbeRssAfter { get; init; }
}
