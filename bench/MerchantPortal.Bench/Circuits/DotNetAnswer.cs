namespace MerchantPortal.Bench.Circuits;

/// <summary>The server's answer to a .NET call from "JS": its call id, whether it succeeded, the result's JSON or the error text.</summary>
public readonly record struct DotNetAnswer(string CallId, bool Succeeded, string? ResultOrError);
