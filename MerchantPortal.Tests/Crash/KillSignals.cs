using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MerchantPortal.Data;
using MerchantPortal.Tests.Infrastructure;
using Npgsql;

namespace MerchantPortal.Tests.Crash;

/// <summary>
/// Freezing and killing an app process at a chosen moment: SIGSTOP holds it exactly where it is
/// (inside its open transaction, say) while the test checks that it really is there, then SIGKILL
/// ends it without a chance to clean up, as a crash or the OOM killer would.
/// </summary>
internal static class KillSignals
{
    private const int SigStop = 19; // Linux

    /// <summary>Freezes the process at once (a direct system call: spawning kill(1) would take milliseconds).</summary>
    public static void Stop(Process process) => Assert.True(Kill(process.Id, SigStop) == 0, "SIGSTOP failed");

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    /// <summary>
    /// Waits, probing every millisecond, until the process holds the database's write
    /// transaction open (see <see cref="WriterInsideTransactionAsync"/>) or the process exits:
    /// a SQLite batch of 1,000 orders holds its lock for tens of milliseconds only.
    /// </summary>
    public static async Task WaitForWriterAsync(Process process, TestDatabase database, string applicationName)
    {
        var waited = Stopwatch.StartNew();
        while (!process.HasExited && !await WriterInsideTransactionAsync(process, database, applicationName))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the command never opened its write transaction");
            await Task.Delay(1); // leaves the two cores to the writer
        }
    }

    /// <summary>SIGKILL (what Process.Kill sends on Linux) unless it already exited, then wait until it is gone.</summary>
    public static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It finished first.
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// True while the process is inside a write transaction: for SQLite, it holds WAL's writer lock
    /// (a POSIX WRITE lock on byte 120 of the -shm file, listed in /proc/locks; looking there takes
    /// no lock itself, and a probe of our own would wait for the writer); for PostgreSQL, a backend
    /// of <paramref name="applicationName"/> is in a transaction that has written (it has an xid).
    /// </summary>
    public static async Task<bool> WriterInsideTransactionAsync(Process process, TestDatabase database, string applicationName)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var pid = process.Id.ToString(CultureInfo.InvariantCulture);
            return (await File.ReadAllLinesAsync("/proc/locks")).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Any(f => f.Length == 8 && f[1] == "POSIX" && f[3] == "WRITE" && f[4] == pid && f[6] == "120" && f[7] == "120");
        }

        return await PostgresWritersAsync(database, applicationName, requireXid: true) > 0;
    }

    /// <summary>Backends of <paramref name="applicationName"/> (with a written, uncommitted transaction when <paramref name="requireXid"/>).</summary>
    public static async Task<long> PostgresWritersAsync(TestDatabase database, string applicationName, bool requireXid)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @app"
            + (requireXid ? " AND backend_xid IS NOT NULL" : ""), connection);
        query.Parameters.AddWithValue("app", applicationName);
        return (long)(await query.ExecuteScalarAsync())!;
    }
}
