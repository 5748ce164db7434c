namespace MerchantPortal.Bench.Blazorpack;

/// <summary>The first array element of every hub message, as numbered by the SignalR hub protocol.</summary>
public static class HubMessageType
{
    public const int Invocation = 1;
    public const int StreamItem = 2;
    public const int Completion = 3;
    public const int StreamInvocation = 4;
    public const int CancelInvocation = 5;
    public const int Ping = 6;
    public const int Close = 7;
}
