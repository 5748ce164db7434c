namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// Why a circuit's connection ended: the server's Close message (with its error), a socket failure
/// (<see cref="Exception"/>), or the client's own disconnect (<see cref="ByClient"/>).
/// </summary>
public sealed record CircuitClosed(string? Error, bool AllowReconnect, Exception? Exception, bool ByClient)
{
    public bool IsClean => Error is null && Exception is null;
}
