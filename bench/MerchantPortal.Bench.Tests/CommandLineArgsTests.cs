using MerchantPortal.Bench.Deploy;
using MerchantPortal.Bench.Floor;
using MerchantPortal.Bench.Nodes;
using MerchantPortal.Bench.Probe;
using MerchantPortal.Bench.Soak;
using MerchantPortal.Bench.Sweep;

namespace MerchantPortal.Bench.Tests;

public sealed class CommandLineArgsTests
{
    private static readonly string[] Names = ["--size", "--out"];

    [Fact]
    public void ValuesAndFlagsAreReadByName()
    {
        var values = CommandLineArgs.Parse(["--size", "5", "--quiet", "--out", "a b"], Names, out var error, "--quiet");

        Assert.Equal("", error);
        Assert.Equal(new Dictionary<string, string> { ["--size"] = "5", ["--quiet"] = "", ["--out"] = "a b" }, values);
    }

    [Theory]
    [InlineData("unknown argument '--sise'", "--sise", "5")]
    [InlineData("unknown argument '5'", "--size", "5", "5")]
    [InlineData("--size needs a value", "--size")]
    [InlineData("--size needs a value", "--size", "--out", "x")]
    [InlineData("--size given twice", "--size", "5", "--size", "6")]
    [InlineData("--quiet given twice", "--quiet", "--quiet")]
    public void MalformedArgumentsAreRefusedWithAReason(string expected, params string[] args)
    {
        Assert.Null(CommandLineArgs.Parse(args, Names, out var error, "--quiet"));
        Assert.Equal(expected, error);
    }

    /// <summary>Every command with <c>--name value</c> options reads them here, so each refuses the same way.</summary>
    [Fact]
    public void EveryCommandRefusesAnUnknownOrValuelessOptionAlike()
    {
        // Each with one of its options that takes a value.
        (Func<string[], string> Parse, string Option)[] commands =
        [
            (args => Error(ProbeOptions.Parse(args, out var error), error), "--circuits"),
            (args => Error(SweepOptions.Parse(args, out var error), error), "--sizes"),
            (args => Error(PrepareDbOptions.Parse(args, out var error), error), "--merchants"),
            (args => Error(SoakOptions.Parse(args, out var error), error), "--cycles"),
            (args => Error(DeployOptions.Parse(args, out var error), error), "--circuits"),
            (args => Error(NodesOptions.Parse(args, out var error), error), "--circuits"),
            (args => Error(FloorOptions.Parse(args, out var error), error), "--circuits"),
        ];

        Assert.All(commands, command =>
        {
            Assert.Equal("unknown argument '--nope'", command.Parse(["--nope", "1"]));
            Assert.Equal($"{command.Option} needs a value", command.Parse([command.Option]));
            Assert.Equal($"{command.Option} needs a value", command.Parse([command.Option, "--nope", "1"]));
            Assert.Equal($"{command.Option} given twice", command.Parse([command.Option, "3", command.Option, "3"]));
        });
    }

    [Theory]
    [InlineData(null, "--n is required")]
    [InlineData("0", "--n must be a positive whole number, not '0'")]
    [InlineData("-1", "--n must be a positive whole number, not '-1'")]
    [InlineData("1.5", "--n must be a positive whole number, not '1.5'")]
    public void PositiveNumbersAreCheckedAndARequiredOneIsAskedFor(string? text, string expected)
    {
        var values = text is null ? [] : new Dictionary<string, string> { ["--n"] = text };
        var error = "";

        Assert.False(CommandLineArgs.TryPositive(values, "--n", null, ref error, out _));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void AMissingOptionalNumberOrDurationTakesItsDefault()
    {
        var error = "";

        Assert.True(CommandLineArgs.TryPositive([], "--n", 7, ref error, out var n));
        Assert.True(CommandLineArgs.TryDuration([], "--for", TimeSpan.FromSeconds(3), ref error, out var duration));
        Assert.Equal((7, TimeSpan.FromSeconds(3), ""), (n, duration, error));
    }

    [Theory]
    [InlineData("20s", 20)]
    [InlineData("15", 15)]
    [InlineData("1.5m", 90)]
    [InlineData("250ms", 0.25)]
    public void DurationsTakeAUnit(string text, double seconds)
    {
        Assert.True(CommandLineArgs.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("25h")]
    [InlineData("86401")]
    public void ABadDurationIsRefusedWithAReason(string text)
    {
        var error = "";

        Assert.False(CommandLineArgs.TryDuration(new Dictionary<string, string> { ["--for"] = text }, "--for", TimeSpan.Zero, ref error, out _));
        Assert.Equal($"--for must be a duration like 20s, 2m or 500ms, not '{text}'", error);
    }

    private static string Error(object? options, string error) => options is null ? error : "parsed";
}
