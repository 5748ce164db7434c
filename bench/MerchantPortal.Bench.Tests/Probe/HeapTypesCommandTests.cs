using MerchantPortal.Bench.Probe;

namespace MerchantPortal.Bench.Tests.Probe;

public sealed class HeapTypesCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("heap-types-tests-").FullName;

    private static readonly HeapTypes Before = HeapTypes.From(7, new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), 1_000_000, 0,
        [new("System.String", 10, 400), new("System.Object[]", 3, 300)]);

    private static readonly HeapTypes After = HeapTypes.From(7, new DateTimeOffset(2025, 1, 2, 3, 5, 5, TimeSpan.Zero), null, 0,
        [new("System.String", 30, 1_200), new("System.Object[]", 3, 300), new("?7f00", 1, 24)]);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ASnapshotSurvivesAJsonRoundTrip()
    {
        var path = Path.Combine(_directory, "before.json");
        await Before.SaveAsync(path);

        var (loaded, error) = await HeapTypes.LoadAsync(path);

        Assert.Equal("", error);
        Assert.NotNull(loaded);
        // Records compare lists by reference: the rows are compared on their own.
        Assert.Equal(Before, loaded with { Types = Before.Types });
        Assert.Equal(Before.Types, loaded.Types);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), loaded.TakenAt);
        Assert.Equal(700, loaded.TotalBytes);
    }

    [Fact]
    public async Task DiffPrintsTheGrowthOfTwoWrittenSnapshots()
    {
        var before = Path.Combine(_directory, "before.json");
        var after = Path.Combine(_directory, "after.json");
        await Before.SaveAsync(before);
        await After.SaveAsync(after);
        var (output, log) = (new StringWriter(), new StringWriter());

        var exit = await HeapTypesCommand.RunAsync(["--diff", before, after, "--per", "10"], output, log);

        Assert.Equal(0, exit);
        Assert.Equal("", log.ToString());
        var report = output.ToString();
        Assert.Contains("         +20            +800         +2.0          +80.0  System.String\n", report, StringComparison.Ordinal);
        Assert.Contains("          +1             +24         +0.1           +2.4  ?7f00\n", report, StringComparison.Ordinal);
        Assert.Contains("         +21            +824         +2.1          +82.4  total, all types", report, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Object[]", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileThatIsNotASnapshotIsABadArgument()
    {
        var before = Path.Combine(_directory, "before.json");
        var notJson = Path.Combine(_directory, "after.json");
        await Before.SaveAsync(before);
        await File.WriteAllTextAsync(notJson, "{\"pid\": 1}", TestContext.Current.CancellationToken);
        var log = new StringWriter();

        Assert.Equal(2, await HeapTypesCommand.RunAsync(["--diff", before, notJson], TextWriter.Null, log));
        Assert.Contains($"--diff: {notJson}: not a heap-types snapshot", log.ToString(), StringComparison.Ordinal);

        Assert.Equal(2, await HeapTypesCommand.RunAsync(["--diff", before, Path.Combine(_directory, "missing.json")], TextWriter.Null, log));
        Assert.Contains("FileNotFoundException", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadArgumentsExitWithTwoAndTheUsage()
    {
        var log = new StringWriter();

        Assert.Equal(2, await HeapTypesCommand.RunAsync(["--app-pid", "x", "--out", "a.json"], TextWriter.Null, log));
        Assert.StartsWith("heap-types: --app-pid must be a positive whole number, not 'x'\nusage: ", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOutputFileInAMissingDirectoryIsRefusedBeforeTheWalk()
    {
        var log = new StringWriter();
        var path = Path.Combine(_directory, "no-such-dir", "a.json");

        Assert.Equal(2, await HeapTypesCommand.RunAsync(["--app-pid", $"{Environment.ProcessId}", "--out", path], TextWriter.Null, log));
        Assert.Contains("does not exist", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("walking", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASnapshotThatCannotBeTakenExitsWithOneAndTheReason()
    {
        var log = new StringWriter();
        var path = Path.Combine(_directory, "a.json");

        Assert.Equal(1, await HeapTypesCommand.RunAsync(["--app-pid", "1", "--out", path, "--timeout", "30s"], TextWriter.Null, log));
        Assert.Contains("snapshot of pid 1 failed: diagnostic port of pid 1", log.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }
}
