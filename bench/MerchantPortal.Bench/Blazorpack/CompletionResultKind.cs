namespace MerchantPortal.Bench.Blazorpack;

/// <summary>The fourth element of a Completion, telling what (if anything) follows it.</summary>
internal static class CompletionResultKind
{
    public const int Error = 1;
    public const int Void = 2;
    public const int NonVoid = 3;
}
