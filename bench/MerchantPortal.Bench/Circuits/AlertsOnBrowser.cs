using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.RegularExpressions;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// The bench client as the browser of a merchant with every alert on (sound, desktop notifications
/// granted, the alarm, the armed check), on top of any harness's callbacks: it answers the alert
/// modules' calls as js/alerts.js, alarm.js and sound.js would with permissions granted, and
/// sends the armed check's ping into the circuit on the product's schedule. One instance serves
/// every circuit, like <see cref="CircuitCallbacks"/>.
/// </summary>
public sealed partial class AlertsOnBrowser : IAsyncDisposable
{
    /// <summary>
    /// js/alerts.js checks every 2 s whether 15 s passed since it last asked, so a live tab pings
    /// every 16 s after init.
    /// </summary>
    public static readonly TimeSpan ProductPingInterval = TimeSpan.FromSeconds(16);

    private readonly ConcurrentDictionary<CircuitClient, Task> _pingers = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _calls;
    private long _pings;
    private long _answered;
    private long _refused;

    /// <param name="ping">False: answer the calls but never ping (to measure what the ping costs).</param>
    public AlertsOnBrowser(bool ping = true, TimeSpan? pingInterval = null)
    {
        Ping = ping;
        PingInterval = pingInterval ?? ProductPingInterval;
    }

    public bool Ping { get; }

    public TimeSpan PingInterval { get; }

    /// <summary>JS calls of the alert modules this browser answered.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public long PingsSent => Interlocked.Read(ref _pings);

    /// <summary>Pings the server answered true (the component's "alive").</summary>
    public long PingsAnswered => Interlocked.Read(ref _answered);

    /// <summary>Pings the server failed or answered other than true.</summary>
    public long PingsRefused => Interlocked.Read(ref _refused);

    /// <summary>Circuits whose armed check started (alerts.js init arrived with its .NET reference).</summary>
    public int Armed => _pingers.Count;

    /// <summary><paramref name="inner"/>'s callbacks, with the alert modules' calls answered and the armed check started.</summary>
    public CircuitCallbacks Wrap(CircuitCallbacks inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new CircuitCallbacks
        {
            RenderBatch = inner.RenderBatch,
            RenderBatchBytes = inner.RenderBatchBytes,
            JSInvoked = inner.JSInvoked,
            JSInvokedWithArguments = (client, identifier, args) =>
            {
                inner.JSInvokedWithArguments?.Invoke(client, identifier, args);
                OnJSInvoked(client, identifier, args);
            },
            JSResult = (client, identifier) => Answer(identifier) ?? inner.JSResult?.Invoke(client, identifier),
            ServerError = inner.ServerError,
            DotNetAnswered = (client, answer) =>
            {
                inner.DotNetAnswered?.Invoke(client, answer);
                Interlocked.Increment(ref answer is { Succeeded: true, ResultOrError: "true" } ? ref _answered : ref _refused);
            },
            RootComponentsUpdated = inner.RootComponentsUpdated,
            Closed = inner.Closed,
        };
    }

    /// <summary>What the browser returns; null leaves it to the client (imports get an object reference, void calls null).</summary>
    private string? Answer(string identifier)
    {
        var answer = identifier switch
        {
            // Audio was unlocked by a click: chime() plays.
            "chime" => "true",
            // Every browser knows its zone (BrowserTime, for the alarm's "since").
            "merchantPortal.timeZone" => "\"UTC\"",
            _ => null,
        };
        if (answer is not null || identifier is "init" or "update" or "unlockOnNextGesture" or "unlock" or "dispose")
        {
            Interlocked.Increment(ref _calls);
        }

        return answer;
    }

    private void OnJSInvoked(CircuitClient client, string identifier, string? args)
    {
        // alerts.js init(element, dotNetReference): the reference is what the ping calls.
        if (identifier != "init" || !Ping || args is null || DotNetObject().Match(args) is not { Success: true } match)
        {
            return;
        }

        var objectId = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        _pingers.TryAdd(client, PingAsync(client, objectId, _stopping.Token));
    }

    /// <summary>dotnet.invokeMethodAsync('Ping') as blazor.web.js sends it: BeginInvokeDotNetFromJS(callId, null, "Ping", objectId, "[]").</summary>
    private async Task PingAsync(CircuitClient client, long objectId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PingInterval);
        var call = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken) && !client.Completion.IsCompleted)
            {
                var callId = (++call).ToString(CultureInfo.InvariantCulture);
                await client.SendInvocationAsync("BeginInvokeDotNetFromJS", [callId, null, "Ping", objectId, "[]"], cancellationToken);
                Interlocked.Increment(ref _pings);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped, or the circuit went: the page's timer stops with it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_pingers.Values);
        _stopping.Dispose();
    }

    [GeneratedRegex("\"__dotNetObject\":(\\d+)")]
    private static partial Regex DotNetObject();
}
