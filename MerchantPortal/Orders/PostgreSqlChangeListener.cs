using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MerchantPortal.Orders;

/// <summary>
/// On PostgreSQL, wakes the change poller the moment any process commits an order change: the
/// change-feed trigger calls pg_notify, delivered at commit, and this service keeps one dedicated
/// connection listening for it. It only wakes the poller, which still reads and publishes
/// everything, so a notification lost while the connection is down costs at most one poll interval.
/// </summary>
public sealed class PostgreSqlChangeListener(
    PortalDatabase database,
    OrderChangePoller poller,
    IOptions<OrderNotificationOptions> options,
    IConfiguration configuration,
    ILogger<PostgreSqlChangeListener> logger) : BackgroundService
{
    /// <summary>An optional connection string for the listener alone (LISTEN needs a session, not a transaction pooler).</summary>
    public const string ConnectionStringName = "MerchantPortalListen";

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    private readonly OrderNotificationOptions _options = options.Value;

    /// <summary>Set while LISTEN is in place (tests wait for it).</summary>
    public bool Listening { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Provider != DatabaseProvider.PostgreSql || !_options.Listen || _options.Delivery != OrderDelivery.ChangePoller)
        {
            return;
        }

        var connectionString = ListenConnectionString();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, failures, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
            {
                Listening = false;
                if (failures++ == 0)
                {
                    // Once per outage; the poller keeps polling meanwhile, so nothing is lost.
                    logger.LogWarning(ex, "Order change listener lost its PostgreSQL connection; reconnecting with backoff up to {MaxDelay}, polling every {Interval} meanwhile",
                        _options.MaxRetryDelay, _options.PollInterval);
                }

                await DelayAsync(RetryBackoff.Delay(FirstRetryDelay, failures, _options.MaxRetryDelay), stoppingToken);
            }
        }
    }

    private async Task ListenAsync(string connectionString, int failures, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        connection.Notification += (_, _) => poller.Wake();
        await using (var listen = new NpgsqlCommand($"LISTEN {OrderChangeTriggers.NotifyChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        Listening = true;
        if (failures > 0)
        {
            logger.LogInformation("Order change listener reconnected to {Database}", database.Location);
            poller.Wake(); // whatever committed while it was away
        }
        else
        {
            logger.LogInformation("Order change listener waiting for NOTIFY {Channel} on {Database}", OrderChangeTriggers.NotifyChannel, database.Location);
        }

        while (true)
        {
            await connection.WaitAsync(ct);
        }
    }

    /// <summary>
    /// Its own connection: never pooled (LISTEN belongs to the session), TCP keepalive on so a
    /// silently dropped connection is noticed even when no order is written for hours.
    /// </summary>
    private string ListenConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(ConnectionStringName) ?? database.ConnectionString)
        {
            Pooling = false,
            ApplicationName = "MerchantPortal change listener",
        };
        if (builder.KeepAlive == 0)
        {
            builder.KeepAlive = 30;
        }

        return builder.ConnectionString;
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
