using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Messaging.Shared.Events;

/// <summary>
/// The head rows of the event outbox this process wrote last (sequence, ETag, pending mark), shared by the appends and the
/// deliveries of the process: an append then needs no read first, and a delivery that clears the mark leaves the next
/// append a valid ETag. A stale entry (another process wrote since) fails its transaction with 412/404 and is read again.
/// </summary>
public sealed class EventHeads
{
    private const int MaxCached = 100_000;

    private readonly ConcurrentDictionary<string, EventHead> _heads = new(StringComparer.Ordinal);

    public bool TryGet(string contactKey, out EventHead head) => _heads.TryGetValue(contactKey, out head);

    public void Forget(string contactKey) => _heads.TryRemove(contactKey, out _);

    public void Remember(string contactKey, EventHead head)
    {
        if (head.ETag == default)
        {
            _heads.TryRemove(contactKey, out _);
            return;
        }

        if (_heads.Count >= MaxCached)
        {
            _heads.Clear();
        }

        _heads[contactKey] = head;
    }
}

/// <summary>
/// A contact's head row: its last sequence number, whether a delivery is owed (and when it was last nudged), and whether
/// the row says for sure that nothing is owed (<see cref="Clear"/>: no head yet, or one written with the mark unset).
/// </summary>
public readonly record struct EventHead(bool Known, long Sequence, ETag ETag, bool Pending, DateTimeOffset? NudgedAt, bool Clear)
{
    public static EventHead None => new(false, 0, default, false, null, true);

    // A head written before the mark existed has no Pending column: not known to be clear, so it is nudged and queued.
    public static EventHead From(TableEntity row)
    {
        var pending = row.GetBoolean(EventOutbox.PendingColumn);
        return new(true, row.GetInt64("Sequence") ?? 0, row.ETag, pending ?? false, row.GetDateTimeOffset(EventOutbox.NudgedAtColumn), pending == false);
    }
}
