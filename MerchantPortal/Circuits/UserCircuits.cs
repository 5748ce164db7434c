namespace MerchantPortal.Circuits;

/// <summary>
/// Per user with a connected circuit on this node: how many (their open tabs) and their shared <see cref="InboundBudget"/>. Nothing per circuit; the entry goes with
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

    /// <summary>The user's shared budget while they have a circuit here (or spent it recently), else null.</summary>
    public InboundBudget? BudgetOf(string userId)
    {
        lock (_gate)
        {
            return _users.TryGetValue(userId, out var entry) ? entry.Budget : null;
        }
    }

    /// <summary>Counts one more connected circuit of <paramref name="userId"/>.</summary>
    public void Take(string userId)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var entry))
            {
                _users[userId] = entry = new Entry();
            }

            entry.Count++;
        }
    }

    /// <summary>
    /// Counts one connected circuit less. The user's entry goes with their last one unless their
    /// budget is spent: a flooder whose connection was just closed must not come back to a full one.
    /// Such an entry stays until the user's next circuit leaves with the budget refilled.
    /// </summary>
    public void Release(string userId, int rate)
    {
        lock (_gate)
        {
            if (_users.TryGetValue(userId, out var entry) && --entry.Count <= 0)
            {
                entry.Count = 0;
                if (entry.Budget.IsFull(rate))
                {
                    _users.Remove(userId);
                }
            }
        }
    }

    private sealed class Entry
    {
        public int Count { get; set; }

        public InboundBudget Budget { get; } = new();
    }
}
