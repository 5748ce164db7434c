using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MerchantPortal.Data;

/// <summary>
/// Counts every SQL command EF Core sends, as <c>merchantportal.db.commands</c> on meter
/// "MerchantPortal.Database". Why: the product's claim is a database load that does not grow
/// with open dashboards, and an operator (or the load harness, through the diagnostic port)
/// reads it as commands per second without a database-side monitor. Each command carries the tag
/// <c>source</c>: <see cref="ChangePollerSource"/> for the change poller's own, <c>app</c> for the
/// rest (pages, circuits, marks, heartbeats), so the poller's share, the part bound by the poll
/// interval and the wake-ups, can be read apart from the work that follows the users.
/// </summary>
public sealed class DatabaseCommandMetrics : DbCommandInterceptor
{
    public const string MeterName = "MerchantPortal.Database";
    public const string CommandsInstrument = "merchantportal.db.commands";

    public const string ChangePollerSource = "change-poller";
    private const string AppSource = "app";

    // Flows with the async calls of whoever set it; an async method's own setting ends with it.
    private static readonly AsyncLocal<string?> s_source = new();

    private readonly Counter<long> _commands;

    public DatabaseCommandMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _commands = meterFactory.Create(MeterName)
            .CreateCounter<long>(CommandsInstrument, unit: "{command}", description: "SQL commands executed through EF Core.");
    }

    /// <summary>Counts this async flow's commands (until the calling async method returns) under <paramref name="source"/>.</summary>
    public static void CountAs(string source) => s_source.Value = source;

    private void Count() => _commands.Add(1, new KeyValuePair<string, object?>("source", s_source.Value ?? AppSource));

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }
}
