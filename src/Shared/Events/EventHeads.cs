using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Messaging.Shared.Events;

/// <summary>
/// The head rows of the event outbox this process wrote last (sequence, ETag, pending mark, epoch), shared by the appends
/// and the deliveries of the process, so an append needs no read first; a contact without an entry is assumed to have no
/// head (the delivery that clears a head deletes it). A stale entry or a wrong guess (another process wrote since) fails
/// its transaction with 412/404/409, and the head is read again.
/// </summary>
public sealed class EventHeads
{
    private const int MaxCached = 100_000;

    private readonly ConcurrentDictionary<string, EventHead> _heads = new(StringComparer.Ordinal);

    public bool TryGet(string contactKey, out EventHead head) => _heads.TryGetValue(contactKey, out head);

    public void Forget(string contactKey) => _heads.TryRemove(contactKey, out _);

    public void Remember(string contactKey, EventHead head)
    {
        // No head is what an append assumes of a contact it has no entry for: no need to hold it.
        if (!head.Known || head.ETag == default)
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
/// A contact's head row: its last sequence number, whether a delivery is owed (and when it was last nudged), whether the
/// row says for sure that nothing is owed (<see cref="Clear"/>: no head, or one written with the mark unset), and its
/// <see cref="Epoch"/>. A head lives only while events are owed: the delivery that clears the mark deletes it, and the next
/// append creates a new one, with a new epoch and the sequence starting again at 1. Cursors carry the epoch they were
/// written in, so a cursor from an earlier epoch (a delivery that lost the race to the one that deleted the head, or an
/// erasure) counts as absent instead of skipping the new epoch's events.
/// </summary>
public readonly record struct EventHead(bool Known, long Sequence, ETag ETag, bool Pending, DateTimeOffset? NudgedAt, bool Clear, string? Epoch = null)
{
    public static EventHead None => new(false, 0, default, false, null, true);

    // A head written before the mark existed has no Pending column: not known to be clear, so it is nudged and queued.
    public static EventHead From(TableEntity row)
    {
        var pending = row.GetBoolean(EventOutbox.PendingColumn);
        return new(true, row.GetInt64("Sequence") ?? 0, row.ETag, pending ?? false, row.GetDateTimeOffset(EventOutbox.NudgedAtColumn), pending == false,
            row.GetString(EventOutbox.EpochColumn));
    }
}
