using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

public sealed class HeapTypesOptionsTests
{
    [Fact]
    public void ASnapshotNeedsAPidAndAFile()
    {
        var options = HeapTypesOptions.Parse(["--app-pid", "42", "--out", "a.json"], out var error);

        Assert.Equal("", error);
        Assert.Equal(new HeapTypesSnapshotOptions(42, "a.json", TimeSpan.FromSeconds(120)), options);
        Assert.Equal(new HeapTypesSnapshotOptions(42, "a.json", TimeSpan.FromMinutes(5)),
            HeapTypesOptions.Parse(["--out", "a.json", "--timeout", "5m", "--app-pid", "42"], out _));
    }

    [Fact]
    public void ADiffTakesTwoFilesAndOptionallyADivisorAndARowCount()
    {
        Assert.Equal(new HeapTypesDiffOptions("b.json", "a.json", null, 40),
            HeapTypesOptions.Parse(["--diff", "b.json", "a.json"], out _));
        Assert.Equal(new HeapTypesDiffOptions("b.json", "a.json", 1000, 50),
            HeapTypesOptions.Parse(["--per", "1000", "--diff", "b.json", "a.json", "--top", "50"], out _));
    }

    [Theory]
    [InlineData("nothing to do")]
    [InlineData("--app-pid is required", "--out", "a.json")]
    [InlineData("--out is required", "--app-pid", "42")]
    [InlineData("--app-pid must be a positive whole number, not 'x'", "--app-pid", "x", "--out", "a.json")]
    [InlineData("--app-pid must be a positive whole number, not '0'", "--app-pid", "0", "--out", "a.json")]
    [InlineData("--app-pid needs a value", "--out", "a.json", "--app-pid")]
    [InlineData("--out needs a value", "--out", "--app-pid", "42")]
    [InlineData("--timeout must be a positive duration", "--app-pid", "42", "--out", "a.json", "--timeout", "0s")]
    [InlineData("--app-pid given twice", "--app-pid", "42", "--app-pid", "43", "--out", "a.json")]
    [InlineData("unknown argument '--pid'", "--pid", "42", "--out", "a.json")]
    [InlineData("--diff needs two files", "--diff", "b.json")]
    [InlineData("--diff needs two files", "--diff", "b.json", "--per", "10")]
    [InlineData("--per must be a positive whole number, not '-1'", "--diff", "b.json", "a.json", "--per", "-1")]
    [InlineData("--top must be a positive whole number, not '0'", "--diff", "b.json", "a.json", "--top", "0")]
    [InlineData("--out does not go with --diff", "--diff", "b.json", "a.json", "--out", "c.json")]
    [InlineData("--per does not go with --app-pid/--out", "--app-pid", "42", "--out", "a.json", "--per", "10")]
    [InlineData("unknown argument 'c.json'", "--diff", "b.json", "a.json", "c.json")]
    public void BadArgumentsAreRefusedWithAReason(string expected, params string[] args)
    {
        Assert.Null(HeapTypesOptions.Parse(args, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }
}
