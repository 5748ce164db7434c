using CsCheck;
using MerchantPortal.Admin;
using MerchantPortal.Setup;

namespace MerchantPortal.Tests.PropertyBased;

/// <summary>
/// Generated command lines, junk included, through the operator commands' own parsing (in
/// process: a process per case would take minutes). Each line either yields exactly the options
/// it spelt, or is refused with a message; the parser never throws.
/// </summary>
public sealed class CommandLineProperties
{
    private static readonly string[] Known = ["merchant", "count", "spread"];
    private static readonly HashSet<string> Commands = ["seed-orders"];

    /// <summary>Any text a shell can pass, with the characters the parser cares about over-represented.</summary>
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String,
        Gen.String[Gen.Char["-=/: ab1"], 0, 8],
        Gen.OneOf<string>("", " ", "--", "-", "=", "/", ":", "--count", "--merchant=", "seed-orders", "--urls", "--x:y", "ünï—", "\0"));

    /// <summary>A configuration switch in one of the forms .NET's provider reads, as one or two tokens.</summary>
    private static readonly Gen<string[]> Switch = Gen.Select(
        Gen.OneOf<string>("ConnectionStrings:MerchantPortal", "Database:Provider", "Logging:LogLevel:Default", "urls", "environment", "A:B:C"),
        Gen.OneOf<string>("--", "/", ""), Text, Gen.Bool,
        (key, prefix, value, joined) => joined || prefix.Length == 0 ? new[] { $"{prefix}{key}={value}" } : new[] { $"{prefix}{key}", value });

    [Fact]
    public void AWellFormedLineYieldsExactlyTheOptionsItSpelt()
    {
        var line = Gen.Select(
            Gen.Select(Gen.OneOf<string>(Known), Text, Gen.Bool, Gen.OneOf<string>("lower", "upper")).List[0, 4],
            Switch.List[0, 3], Switch.List[0, 3], Gen.Int[0, 1000]);
        line.Sample((options, before, after, shuffle) =>
        {
            var random = new Random(shuffle);
            var parts = options.Select(o => (Tokens: o.Item3 ? new[] { $"--{Spell(o.Item1, o.Item4)}={o.Item2}" } : [$"--{Spell(o.Item1, o.Item4)}", o.Item2], Option: ((string, string)?)(o.Item1, o.Item2)))
                .Concat(after.Select(s => (Tokens: s, Option: ((string, string)?)null)))
                .OrderBy(_ => random.Next()).ToList();
            var args = before.SelectMany(t => t).Append("seed-orders").Concat(parts.SelectMany(p => p.Tokens)).ToArray();
            // The last spelling of an option on the line wins, as the parser documents by overwriting.
            var expected = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in parts.Where(p => p.Option is not null).Select(p => p.Option!.Value))
            {
                expected[name] = value;
            }

            Assert.Equal("seed-orders", CommandArguments.FindCommand(args, Commands));
            var parsed = CommandArguments.ParseOptions(args, "seed-orders", Known, out var error);
            Assert.True(parsed is not null, $"refused: {error} in [{string.Join(" | ", args)}]");

            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), parsed.OrderBy(p => p.Key.ToLowerInvariant(), StringComparer.Ordinal),
                new PairComparer());
        }, iter: 3000);
    }

    [Fact]
    public void AnyLineIsEitherParsedIntoKnownOptionsOrRefusedWithAMessage()
    {
        Gen.OneOf(Text, Gen.OneOf<string>(Known).Select(k => "--" + k), Switch.Select(s => s[0])).List[0, 8].Sample(tokens =>
        {
            var args = tokens.Prepend("seed-orders").ToArray();
            var parsed = CommandArguments.ParseOptions(args, "seed-orders", Known, out var error);
            if (parsed is null)
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
            else
            {
                Assert.All(parsed.Keys, key => Assert.Contains(key, Known, StringComparer.OrdinalIgnoreCase));
            }
        }, iter: 5000);
    }

    [Fact]
    public void ATokenThatIsNeitherAnOptionNorConfigurationIsRefusedNamingIt()
    {
        var junk = Gen.String[Gen.Char["abc-xyz019 "], 1, 10]
            .Where(t => !t.StartsWith('-') && !t.StartsWith('/') && !t.Contains('=', StringComparison.Ordinal) && t != "seed-orders");
        Gen.Select(junk, Gen.Int[0, 2]).Sample((token, at) =>
        {
            List<string> args = ["seed-orders", "--merchant", "A", "--count", "2"];
            args.Insert(1 + (at * 2), token);
            var parsed = CommandArguments.ParseOptions(args, "seed-orders", Known, out var error);
            Assert.Null(parsed);
            Assert.Contains($"'{token}'", error, StringComparison.Ordinal);
        }, iter: 1000);
    }

    [Fact]
    public void ASpreadIsEitherTheDurationItSaysOrRefusedAsBadInput()
    {
        var spread = Gen.OneOf(
            Gen.String,
            Gen.Select(Gen.Double, Gen.OneOf<string>("", "s", "m", "h", "S", "H", "d", " s"), (n, unit) => n.ToString(System.Globalization.CultureInfo.InvariantCulture) + unit),
            Gen.Select(Gen.Int[0, 7200], Gen.OneOf<string>("", "s", "m", "h"), (n, unit) => $"{n}{unit}"),
            Gen.OneOf<string>("NaN", "Infinity", "-0", "1e308h", "1e-320", " 30s ", "∞", "1,5m", "0x10"));
        spread.Sample(text =>
        {
            TimeSpan parsed;
            try
            {
                parsed = PortalCommands.ParseDuration(text);
            }
            catch (AdminInputException e)
            {
                Assert.Contains("Spread must look like", e.Message, StringComparison.Ordinal);
                return;
            }

            Assert.True(parsed >= TimeSpan.Zero, $"'{text}' gave {parsed}");
            var trimmed = text.Trim();
            var unit = char.IsLetter(trimmed[^1]) ? char.ToLowerInvariant(trimmed[^1]) : 's';
            var number = double.Parse(char.IsLetter(trimmed[^1]) ? trimmed[..^1] : trimmed, System.Globalization.CultureInfo.InvariantCulture);
            var seconds = number * (unit == 'h' ? 3600 : unit == 'm' ? 60 : 1);
            Assert.True(Math.Abs(parsed.TotalSeconds - seconds) <= Math.Max(1e-3, seconds * 1e-9), $"'{text}' gave {parsed.TotalSeconds} s, not {seconds}");
        }, iter: 5000);
    }

    private static string Spell(string name, string casing) => casing == "upper" ? name.ToUpperInvariant() : name;

    private sealed class PairComparer : IEqualityComparer<KeyValuePair<string, string>>
    {
        public bool Equals(KeyValuePair<string, string> x, KeyValuePair<string, string> y) =>
            string.Equals(x.Key, y.Key, StringComparison.OrdinalIgnoreCase) && x.Value == y.Value;

        public int GetHashCode(KeyValuePair<string, string> obj) => StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Key);
    }
}
