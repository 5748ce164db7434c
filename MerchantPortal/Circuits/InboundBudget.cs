using System.Diagnostics;

namespace MerchantPortal.Circuits;

/// <summary>
/// A token bucket of inbound circuit messages: <c>rate</c> a second, bursts up to five times that
/// (a page start sends a dozen or two JS answers and acknowledgements; twenty tabs reloading together
/// after a deploy must fit).
/// Refilled from the clock when a message arrives, so it needs no timer and costs nothing while idle.
/// One per user on this node (shared by the user's circuits, so a client cannot refill it by opening
/// a new circuit), or one per circuit for a circuit without a user.
/// </summary>
public sealed class InboundBudget
{
    private readonly Lock _gate = new();
    private double _tokens = double.NaN; // full until the first message
    private long _lastRefill;

    /// <summary>True when the bucket would be full now: nothing to remember about this user.</summary>
    public bool IsFull(int rate)
    {
        lock (_gate)
        {
            return double.IsNaN(_tokens) || _tokens + (Stopwatch.GetElapsedTime(_lastRefill).TotalSeconds * rate) >= 5.0 * rate;
        }
    }

    public bool TryTake(int rate)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            var burst = 5.0 * rate;
            _tokens = double.IsNaN(_tokens) ? burst : Math.Min(burst, _tokens + (Stopwatch.GetElapsedTime(_lastRefill, now).TotalSeconds * rate));
            _lastRefill = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
