namespace MerchantPortal.Components.Shared;

/// <summary>
/// Re-runs a page's load on the server at a fixed pace while the page is open: for admin views
/// whose rows change by time passing (heartbeats, ages), which no change feed announces. The
/// browser polls nothing. A failed tick is logged and the last rows stay; the next tick retries.
/// Dispose with the page.
/// </summary>
public sealed class ServerRefresh : IDisposable
{
    private readonly PeriodicTimer _timer;
    private readonly CancellationTokenSource _closed = new();

    private ServerRefresh(TimeSpan every, TimeProvider clock) => _timer = new PeriodicTimer(every, clock);

    /// <param name="tick">Reads and re-renders (through the component's InvokeAsync).</param>
    public static ServerRefresh Start(TimeSpan every, TimeProvider clock, Func<CancellationToken, Task> tick, ILogger logger, string what)
    {
        var refresh = new ServerRefresh(every, clock);
        _ = refresh.RunAsync(tick, logger, what);
        return refresh;
    }

    private async Task RunAsync(Func<CancellationToken, Task> tick, ILogger logger, string what)
    {
        var closed = _closed.Token;
        try
        {
            while (await _timer.WaitForNextTickAsync(closed))
            {
                try
                {
                    await tick(closed);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not refresh {What}", what);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
    }

    public void Dispose()
    {
        // Ends the loop; the source has no timer of its own, so it needs no disposal.
        _timer.Dispose();
        _closed.Cancel();
    }
}
