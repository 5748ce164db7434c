namespace MerchantPortal.Circuits;

/// <summary>
/// Per user with a circuit on this node: how many circuits they hold (open, or disconnected and
/// retained) and their shared <see cref="InboundBudget"/>. Nothing per circuit; the entry goes with
/// the user's last circuit. Opening and closing circuits is rare next to messages, so one lock will do.
/// </summary>
public sealed class UserCircuits
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _users = new(StringComparer.Ordinal);

    public int CountOf(string userId)
    {
        lock (_gate)
        {
            return _users.TryGetValue(userId, out var entry) ? entry.Count : 0;
        }
    }

    /// <summary>The user's shared budget while they hold a circuit here, else null.</summary>
    public InboundBudget? BudgetOf(string userId)
    {
        lock (_gate)
        {
            return _users.TryGetValue(userId, out var entry) ? entry.Budget : null;
        }
    }

    /// <summary>Takes a place for one more circuit of <paramref name="userId"/>; false, and nothing taken, at the cap.</summary>
    public bool TryTake(string userId, int cap)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var entry))
            {
                _users[userId] = entry = new Entry();
            }

            if (entry.Count >= cap)
            {
                return false;
            }

            entry.Count++;
            return true;
        }
    }

    public void Release(string userId)
    {
        lock (_gate)
        {
            if (_users.TryGetValue(userId, out var entry) && --entry.Count <= 0)
            {
                _users.Remove(userId);
            }
        }
    }

    private sealed class Entry
    {
        public int Count { get; set; }

        public InboundBudget Budget { get; } = new();
    }
}
