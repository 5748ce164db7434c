using System.Collections.Concurrent;

namespace MerchantPortal.Bench.Probe;

/// <summary>
/// Failures grouped by stage and reason, so 1,000 identical refusals print as one line with a count
/// instead of hiding among the successes or flooding the report.
/// </summary>
public sealed class FailureTally
{
    private const int MaxReasonLength = 200;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Total => _counts.Values.Sum();

    public void Add(string stage, string reason) =>
        _counts.AddOrUpdate($"{stage}: {Truncate(reason)}", 1, (_, count) => count + 1);

    public void Add(string stage, Exception exception) => Add(stage, Describe(exception));

    /// <summary>Most frequent first.</summary>
    public IReadOnlyList<(string Reason, int Count)> Grouped() =>
        [.. _counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value))];

    /// <summary>
    /// Type and message, plus the innermost cause: the circuit client wraps socket errors in
    /// "the connection ended" and the cause (refused, reset, timed out) is what tells limits apart.
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = $"{exception.GetType().Name}: {exception.Message}";
        var inner = exception;
        while (inner.InnerException is { } next)
        {
            inner = next;
        }

        return ReferenceEquals(inner, exception) ? text : $"{text} <- {inner.GetType().Name}: {inner.Message}";
    }

    private static string Truncate(string reason)
    {
        var oneLine = reason.ReplaceLineEndings(" ");
        return oneLine.Length <= MaxReasonLength ? oneLine : oneLine[..MaxReasonLength] + "...";
    }
}
