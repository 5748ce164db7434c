using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MerchantPortal.Data;

/// <summary>
/// Turns a write the database refused (read-only file or mount, a PostgreSQL that refuses
/// writes, a full disk, a lost connection) into one line for the person who clicked or typed:
/// what happened and that nothing was saved. Every writer saves in one transaction, so a refused
/// write leaves nothing half-written. Null when the exception is not the database's, so the
/// caller lets it through.
/// </summary>
public static class DatabaseWriteErrors
{
    public static string? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var database = Find<DbException>(exception);
        if (database is null && exception is not DbUpdateException)
        {
            return null;
        }

        var cause = database switch
        {
            // SQLITE_READONLY (8): the file, its folder or its mount is read-only, or the connection was opened Mode=ReadOnly.
            SqliteException { SqliteErrorCode: 8 } e => $"the database is read-only ({e.Message})",
            SqliteException { SqliteErrorCode: 13 } e => $"the disk is full ({e.Message})",
            SqliteException { SqliteErrorCode: 5 or 6 } e => $"the database stayed locked by another writer ({e.Message})",
            // 25006: default_transaction_read_only, a hot standby or a read-only transaction.
            PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } e => $"the database is read-only ({e.MessageText})",
            PostgresException { SqlState: PostgresErrorCodes.DiskFull } e => $"the database server's disk is full ({e.MessageText})",
            PostgresException e => $"{e.MessageText} (SQLSTATE {e.SqlState})",
            // 3906: the database is read-only.
            SqlException { Number: 3906 } e => $"the database is read-only ({e.Message})",
            NpgsqlException or SqlException => $"the database could not be reached ({database.Message})",
            not null => database.Message,
            null => exception.InnerException?.Message ?? exception.Message,
        };
        return $"The database refused the change: {cause}. Nothing was saved.";
    }

    /// <summary>A unique index refused the row (PostgreSQL 23505, SQLite's extended code 2067, SQL Server's 2601/2627).</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) =>
        exception?.InnerException is DbException { SqlState: PostgresErrorCodes.UniqueViolation }
            or SqliteException { SqliteExtendedErrorCode: 2067 } or SqlException { Number: 2601 or 2627 };

    /// <summary>
    /// Another writer got there first: a unique index refused the row, or a concurrency token
    /// changed under the update. Reading again and retrying is the answer to both.
    /// </summary>
    public static bool IsLostRace(DbUpdateException exception) =>
        exception is DbUpdateConcurrencyException || IsUniqueViolation(exception);

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }
}
