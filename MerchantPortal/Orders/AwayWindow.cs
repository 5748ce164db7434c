namespace MerchantPortal.Orders;

/// <summary>
/// One circuit's "while you were away" interval: orders created after <see cref="From"/> and up
/// to <see cref="To"/> (UTC) arrived while this user had no live tab. Set by
/// <see cref="UserPresenceCircuitHandler"/> from the server's own clock and data, never from the
/// browser: on the circuit's start from the user's <c>LastLiveAt</c>, after a reconnect of the
/// same circuit from the moment its connection went down.
/// </summary>
public sealed class AwayWindow
{
    /// <summary>Null: nothing to list (a first sign-in, an admin, or not known yet).</summary>
    public DateTime? From { get; private set; }

    public DateTime To { get; private set; }

    /// <summary>False until the circuit handler set the window (always false while prerendering).</summary>
    public bool Known { get; private set; }

    /// <summary>Raised (on the circuit handler's thread) when a reconnect opened a new interval.</summary>
    public event Action? Changed;

    internal void Set(DateTime? fromUtc, DateTime toUtc, bool announce)
    {
        From = fromUtc;
        To = toUtc;
        Known = true;
        if (announce)
        {
            Changed?.Invoke();
        }
    }
}
