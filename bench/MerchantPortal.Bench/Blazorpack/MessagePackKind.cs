namespace MerchantPortal.Bench.Blazorpack;

/// <summary>
/// The format family of the next value, so a caller can branch before choosing a Read method.
/// Names avoid CLR type names (CA1720), hence WholeNumber / FloatingPoint / Str.
/// </summary>
public enum MessagePackKind
{
    Nil,
    Boolean,
    WholeNumber,
    FloatingPoint,
    Str,
    Binary,
    Array,
    Map,
    Extension,
}
