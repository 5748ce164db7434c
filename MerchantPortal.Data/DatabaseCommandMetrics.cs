using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MerchantPortal.Data;

/// <summary>
/// Counts every SQL command EF Core sends, as <c>merchantportal.db.commands</c> on meter
/// "MerchantPortal.Database". Why: the product's claim is a database load that does not grow
/// with open dashboards, and an operator (or the load harness, through the diagnostic port)
/// reads it as commands per second without a database-side monitor.
/// </summary>
public sealed class DatabaseCommandMetrics : DbCommandInterceptor
{
    public const string MeterName = "MerchantPortal.Database";
    public const string CommandsInstrument = "merchantportal.db.commands";

    private readonly Counter<long> _commands;

    public DatabaseCommandMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _commands = meterFactory.Create(MeterName)
            .CreateCounter<long>(CommandsInstrument, unit: "{command}", description: "SQL commands executed through EF Core.");
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        _commands.Add(1);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        _commands.Add(1);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        _commands.Add(1);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        _commands.Add(1);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        _commands.Add(1);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        _commands.Add(1);
        return ValueTask.FromResult(result);
    }
}
