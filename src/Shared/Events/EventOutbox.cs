using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Events;

/// <summary>
/// The outbox of events, one partition per contact. An append numbers the event with the contact's next sequence
/// number and stores it in a row keyed by the change it describes, in one entity-group transaction with the head: a
/// repeated append of the same change (the at-least-once follow-up of a stored message, status or consent change) finds
/// the row while the event is pending and writes nothing new (once delivered, a late repeat goes out again under the same
/// webhook-id), and two changes of one contact get distinct, ordered numbers.
/// The head row exists only while the contact has undelivered events (<see cref="PendingColumn"/>): created or updated by
/// the append's transaction and deleted by the dispatcher's only when it has delivered up to the head it read, so the
/// outbox holds rows of pending contacts only (on Azurite, whose every query scans the whole table and whose every delete
/// or update walks the whole key index, the table's size is the cost of each request). Only the append that
/// finds nothing pending puts the contact on the delivery queue, the others ride on that nudge. An append that finds its
/// change already recorded (the caller's retry after a crash between the transaction and the nudge) always nudges, and a
/// pending mark older than <see cref="EventsOptions.NudgeAgainAfter"/> is nudged again (a lost or parked queue message).
/// Content (text, profile name) is sealed with the contact's data key, so erasure reaches pending events too.
/// </summary>
public sealed class EventOutbox(
    StorageClients storage, KeyedHasher hasher, ContactKeyring keyring, IOptionsMonitor<EventsOptions> options, TimeProvider time, EventHeads heads, EventDispatcher dispatcher)
{
    public const string HeadRow = "head";

    /// <summary>An event: its change row, keyed by a hash of the change; <see cref="SequenceColumn"/> orders a contact's events.</summary>
    public const string ChangeRowPrefix = "d-";

    /// <summary>
    /// Events appended before they moved into their change rows: keyed by sequence, with a <c>ChangeRow</c> column naming a
    /// separate change row. Still delivered (and both rows deleted) so an upgrade loses none of them.
    /// </summary>
    public const string EventRowPrefix = "e-";

    public const string CursorRowPrefix = "c-";

    /// <summary>On an event row: the contact's sequence number of the event.</summary>
    public const string SequenceColumn = "Sequence";

    /// <summary>On an event row of the former layout: the separate change row to delete with it.</summary>
    public const string LegacyChangeRowColumn = "ChangeRow";

    /// <summary>Set on a replayed event: the one subscription it goes to.</summary>
    public const string OnlyForColumn = "OnlyFor";

    /// <summary>On the head row: true from the append that found nothing pending until the dispatcher has delivered up to the head.</summary>
    public const string PendingColumn = "Pending";

    /// <summary>On the head row: when the pending contact was last put on the delivery queue.</summary>
    public const string NudgedAtColumn = "NudgedAt";

    /// <summary>On the head row and the cursors: which life of the head they belong to (see <see cref="EventHead"/>).</summary>
    public const string EpochColumn = "Epoch";

    private readonly TableClient _table = storage.Table(StorageNames.EventOutboxTable);

    /// <summary>The row key of an event of the former layout (<see cref="EventRowPrefix"/>).</summary>
    public static string EventRow(long sequence) => EventRowPrefix + sequence.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>Records that <paramref name="changeId"/> happened to the contact, once, if any subscription wants its type.</summary>
    /// <param name="changeId">Deterministic id of the change (e.g. the inbound event id); hashed before storage.</param>
    /// <param name="data">What every receiver gets: no personal data (contact key, kinds, opaque ids).</param>
    /// <param name="content">What receivers with IncludeContent also get (text, profile name); sealed.</param>
    /// <returns>True when the event is (now) in the outbox; false when no subscription wants it.</returns>
    public Task<bool> AppendAsync(
        string contactKey,
        string changeId,
        string type,
        DateTimeOffset occurredAt,
        IReadOnlyDictionary<string, object?> data,
        IReadOnlyDictionary<string, string?>? content,
        CancellationToken cancellationToken) =>
        AppendAsync(contactKey, changeId, type, occurredAt, data, content, deliverNow: false, cancellationToken);

    /// <summary>
    /// As <see cref="AppendAsync(string, string, string, DateTimeOffset, IReadOnlyDictionary{string, object?}, IReadOnlyDictionary{string, string?}?, CancellationToken)"/>,
    /// and when nothing else of the contact is pending, delivers the event in this call (no queue round trip, no read of
    /// the outbox). Only for callers that are repeated until they complete (inbound processing inside its inbox claim): a
    /// crash before the delivery's commit leaves the contact marked pending without a nudge, and the repeated call finds
    /// its change recorded and nudges. A receiver that fails or is slow here sends the event the queued way.
    /// </summary>
    public Task<bool> AppendAndDeliverAsync(
        string contactKey,
        string changeId,
        string type,
        DateTimeOffset occurredAt,
        IReadOnlyDictionary<string, object?> data,
        IReadOnlyDictionary<string, string?>? content,
        CancellationToken cancellationToken) =>
        AppendAsync(contactKey, changeId, type, occurredAt, data, content, deliverNow: true, cancellationToken);

    private async Task<bool> AppendAsync(
        string contactKey,
        string changeId,
        string type,
        DateTimeOffset occurredAt,
        IReadOnlyDictionary<string, object?> data,
        IReadOnlyDictionary<string, string?>? content,
        bool deliverNow,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(contactKey);
        ArgumentException.ThrowIfNullOrEmpty(changeId);
        if (!options.CurrentValue.AnyWants(type))
        {
            return false;
        }

        var changeRow = ChangeRowPrefix + hasher.Hash("event-change", type + "\n" + changeId);
        var eventId = "evt_" + hasher.Hash("event-id", contactKey + "\n" + type + "\n" + changeId);
        byte[]? sealedContent = null;
        if (content is { Count: > 0 })
        {
            sealedContent = await keyring.SealAsync(contactKey, "event-content", JsonSerializer.Serialize(content), cancellationToken);
        }

        await AppendRowAsync(contactKey, changeRow, eventId, type, occurredAt, JsonSerializer.Serialize(data), sealedContent, null, deliverNow, cancellationToken);
        return true;
    }

    /// <summary>
    /// Puts a parked event back for one subscription: appended again (after the contact's pending events) under its
    /// original webhook-id, delivered only to <paramref name="subscriptionId"/>, with the usual retries. A repeated replay
    /// of the same parking appends nothing new while the first is pending.
    /// </summary>
    public Task ReplayAsync(string subscriptionId, TableEntity parked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parked);
        var contactKey = parked.GetString("ContactKey") ?? throw new ArgumentException("A parked event names its contact.", nameof(parked));
        var changeRow = ChangeRowPrefix + hasher.Hash("event-replay", subscriptionId + "\n" + parked.RowKey + "\n" + parked.GetDateTimeOffset("ParkedAt")?.UtcTicks);
        return AppendRowAsync(contactKey, changeRow, parked.GetString("EventId")!, parked.GetString("Type")!, parked.GetDateTimeOffset("OccurredAt") ?? default,
            parked.GetString("Data") ?? "{}", parked.GetBinary("Content"), subscriptionId, deliverNow: false, cancellationToken);
    }

    private async Task AppendRowAsync(
        string contactKey, string changeRow, string eventId, string type, DateTimeOffset occurredAt, string data, byte[]? sealedContent, string? onlyFor, bool deliverNow, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            // The head this process wrote last saves a read per event. Without one, the first attempt assumes none: a head
            // lives only while events are owed, so most contacts have none. A wrong guess or a stale head fails the
            // transaction (409/412/404), and the retry reads the head.
            var remembered = heads.TryGet(contactKey, out var cached);
            var guessed = !remembered && attempt == 0;
            var head = remembered ? cached : guessed ? EventHead.None : await ReadHeadAsync(contactKey, cancellationToken);
            var sequence = head.Sequence + 1;
            var now = time.GetUtcNow();
            var nudge = !head.Pending || head.NudgedAt is not { } nudgedAt || now - nudgedAt >= options.CurrentValue.NudgeAgainAfter;
            var nudgedAtNow = nudge ? now : head.NudgedAt;
            // A new head (none, or the last one deleted by the delivery that cleared it) starts a new epoch.
            var epoch = head.Known ? head.Epoch : Guid.NewGuid().ToString("N");
            var newHead = new TableEntity(contactKey, HeadRow) { ["Sequence"] = sequence, [PendingColumn] = true, [NudgedAtColumn] = nudgedAtNow };
            if (epoch is not null)
            {
                newHead[EpochColumn] = epoch;
            }

            // The event lives in its change row: the row that makes a repeated append a no-op is the one delivered and
            // deleted, so an event costs two operations a transaction (row and head), not three.
            var row = new TableEntity(contactKey, changeRow)
            {
                [SequenceColumn] = sequence,
                ["Type"] = type,
                ["EventId"] = eventId,
                ["OccurredAt"] = occurredAt,
                ["Data"] = data,
            };
            if (sealedContent is not null)
            {
                row["Content"] = sealedContent;
            }

            if (onlyFor is not null)
            {
                row[OnlyForColumn] = onlyFor;
            }

            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, row),
                head.Known
                    ? new(TableTransactionActionType.UpdateReplace, newHead, head.ETag)
                    : new(TableTransactionActionType.Add, newHead),
            };
            try
            {
                var responses = (await _table.SubmitTransactionAsync(actions, cancellationToken)).Value;
                var written = new EventHead(true, sequence, responses.Count > 1 ? responses[1].Headers.ETag ?? default : default, true, nudgedAtNow, false, epoch);
                heads.Remember(contactKey, written);
                if (!nudge)
                {
                    // The contact was pending already: its nudge is on the queue, and the dispatcher cannot clear the
                    // mark without seeing this event (the head's ETag changed under it).
                    return;
                }

                // Nothing was owed before this event (the transaction proved the head clear), so it may go out now, alone.
                if (deliverNow && head.Clear && onlyFor is null && written.ETag != default
                    && await dispatcher.DeliverAppendedAsync(row, written, cancellationToken))
                {
                    return;
                }

                break;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
            {
                heads.Forget(contactKey);
                if ((await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, changeRow, select: ["Sequence"], cancellationToken: cancellationToken)).HasValue)
                {
                    // Appended by an earlier attempt of the same follow-up, which may have stopped before its nudge.
                    break;
                }

                if (attempt >= MaxAppendAttempts)
                {
                    throw;
                }

                // Another change of the same contact took this sequence number first. Writers that retry at once keep
                // colliding with each other and with the delivery that clears the head; a random wait spreads them out.
                // A wrong guess that there was no head is no race: the retry reads the head at once.
                if (!guessed)
                {
                    await Task.Delay(AppendBackoff(attempt), cancellationToken);
                }
            }
        }

        await NudgeAsync(contactKey, TimeSpan.Zero, cancellationToken);
    }

    private const int MaxAppendAttempts = 40;

    /// <summary>A few milliseconds after the first conflicts, up to 200 ms as they go on; jittered so racers part ways.</summary>
    private static TimeSpan AppendBackoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(200, 5 << Math.Min(attempt, 6)) + 1));

    private async Task<EventHead> ReadHeadAsync(string contactKey, CancellationToken cancellationToken)
    {
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, HeadRow, cancellationToken: cancellationToken);
        return head.HasValue ? EventHead.From(head.Value!) : EventHead.None;
    }

    /// <summary>Asks the delivery worker to look at the contact's pending events after <paramref name="delay"/>.</summary>
    public async Task NudgeAsync(string contactKey, TimeSpan delay, CancellationToken cancellationToken) =>
        await storage.Queue(StorageNames.EventsOutQueue).SendMessageAsync(
            contactKey, visibilityTimeout: delay > TimeSpan.Zero ? delay : null, cancellationToken: cancellationToken);

    /// <summary>Deletes every row of the contact (erasure).</summary>
    public async Task<int> DeleteContactAsync(string contactKey, CancellationToken cancellationToken)
    {
        heads.Forget(contactKey);
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == contactKey, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }

        foreach (var chunk in keys.Chunk(100))
        {
            try
            {
                await _table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(contactKey, k), ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                foreach (var k in chunk)
                {
                    await _table.DeleteEntityAsync(contactKey, k, ETag.All, cancellationToken);
                }
            }
        }

        return keys.Count;
    }
}
