namespace MerchantPortal.Tests.Infrastructure;

/// <summary>
/// Tests that read and write the shared app's database run one class at a time, so one class's
/// orders never change the counts another class asserts. Tests with their own files run in parallel.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedAppTests
{
    public const string Name = "The shared app process";
}
