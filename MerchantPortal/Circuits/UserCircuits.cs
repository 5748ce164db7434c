using System.Collections.Concurrent;

namespace MerchantPortal.Circuits;

/// <summary>
/// How many circuits each user holds on this node (open, or disconnected and retained). One
/// counter per user with a circuit, nothing per circuit but the handler's two fields.
/// </summary>
public sealed class UserCircuits
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int CountOf(string userId) => _counts.GetValueOrDefault(userId);

    /// <summary>Takes a place for one more circuit of <paramref name="userId"/>; false, and nothing taken, at the cap.</summary>
    public bool TryTake(string userId, int cap)
    {
        while (true)
        {
            var current = _counts.GetValueOrDefault(userId);
            if (current >= cap)
            {
                return false;
            }

            if (current == 0 ? _counts.TryAdd(userId, 1) : _counts.TryUpdate(userId, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Release(string userId)
    {
        while (true)
        {
            var current = _counts.GetValueOrDefault(userId);
            if (current <= 1)
            {
                // The last one: remove the entry so the dictionary holds only users with circuits.
                if (current == 0 || _counts.TryRemove(new KeyValuePair<string, int>(userId, current)))
                {
                    return;
                }
            }
            else if (_counts.TryUpdate(userId, current - 1, current))
            {
                return;
            }
        }
    }
}
