using System.Collections.Concurrent;

namespace MinimalCircuit;

/// <summary>
/// The no-database push floor: the app's in-process notifier reduced to what a push needs, a
/// subscriber list per group ("merchant") and a fan-out to that group's circuits. Nothing is
/// stored; the portal's poller, database and live view are what this leaves out.
/// </summary>
public sealed class MarkerPushes
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Action<string>, byte>> _groups = new();

    public IDisposable Subscribe(int group, Action<string> onPush)
    {
        var subscribers = _groups.GetOrAdd(group, _ => new());
        subscribers[onPush] = 0;
        return new Subscription(subscribers, onPush);
    }

    /// <summary>Hands <paramref name="marker"/> to every circuit of the group; returns how many.</summary>
    public int Push(int group, string marker)
    {
        if (!_groups.TryGetValue(group, out var subscribers))
        {
            return 0;
        }

        var count = 0;
        foreach (var subscriber in subscribers.Keys)
        {
            subscriber(marker);
            count++;
        }

        return count;
    }

    private sealed class Subscription(ConcurrentDictionary<Action<string>, byte> subscribers, Action<string> onPush) : IDisposable
    {
        public void Dispose() => subscribers.TryRemove(onPush, out _);
    }
}
