using System.Collections.Concurrent;

namespace Messaging.Shared.Storage;

/// <summary>
/// A thread-safe in-process cache with a hard bound on its size and an age limit per entry, for facts that rarely or
/// never change (alias → contact key, unwrapped data keys, profile fingerprints). Two generations: when the current
/// one is full it becomes the previous one and a fresh one starts, so memory stays under <c>capacity</c> entries and
/// what was used recently survives one turnover. Reads never touch storage; a miss is the caller's round trip.
/// </summary>
public sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int _generationSize;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;
    private readonly object _turnover = new();
    private ConcurrentDictionary<TKey, Entry> _current = new();
    private ConcurrentDictionary<TKey, Entry> _previous = new();

    public BoundedCache(int capacity, TimeSpan maxAge, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        ArgumentNullException.ThrowIfNull(time);
        _generationSize = capacity / 2;
        _maxAge = maxAge;
        _time = time;
    }

    public int Count => _current.Count + _previous.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        var now = _time.GetUtcNow();
        if (_current.TryGetValue(key, out var entry) || TryPromote(key, out entry))
        {
            if (now - entry.StoredAt < _maxAge)
            {
                value = entry.Value;
                return true;
            }

            Remove(key);
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        if (_current.Count >= _generationSize)
        {
            lock (_turnover)
            {
                if (_current.Count >= _generationSize)
                {
                    _previous = _current;
                    _current = new ConcurrentDictionary<TKey, Entry>();
                }
            }
        }

        _current[key] = new Entry(value, _time.GetUtcNow());
    }

    public void Remove(TKey key)
    {
        _current.TryRemove(key, out _);
        _previous.TryRemove(key, out _);
    }

    private bool TryPromote(TKey key, out Entry entry)
    {
        if (!_previous.TryRemove(key, out entry))
        {
            return false;
        }

        // Keep the original age: promotion makes an entry survive a turnover, not live longer than maxAge.
        if (_current.Count < _generationSize)
        {
            _current.TryAdd(key, entry);
        }

        return true;
    }

    private readonly record struct Entry(TValue Value, DateTimeOffset StoredAt);
}
