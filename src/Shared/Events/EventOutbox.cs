using System.Collections.Concurrent;
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
/// number and records the change it describes, all in one entity-group transaction: a repeated append of the same
/// change (the at-least-once follow-up of a stored message, status or consent change) writes nothing new, and two
/// changes of one contact get distinct, ordered numbers. Then the contact is put on the delivery queue.
/// Content (text, profile name) is sealed with the contact's data key, so erasure reaches pending events too.
/// </summary>
public sealed class EventOutbox(StorageClients storage, KeyedHasher hasher, ContactKeyring keyring, IOptionsMonitor<EventsOptions> options)
{
    public const string HeadRow = "head";
    public const string EventRowPrefix = "e-";
    public const string ChangeRowPrefix = "d-";
    public const string CursorRowPrefix = "c-";

    /// <summary>Set on a replayed event: the one subscription it goes to.</summary>
    public const string OnlyForColumn = "OnlyFor";

    private const int MaxCachedHeads = 100_000;

    private readonly TableClient _table = storage.Table(StorageNames.EventOutboxTable);
    private readonly ConcurrentDictionary<string, (long Sequence, ETag ETag)> _heads = new(StringComparer.Ordinal);

    public static string EventRow(long sequence) => EventRowPrefix + sequence.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>Records that <paramref name="changeId"/> happened to the contact, once, if any subscription wants its type.</summary>
    /// <param name="changeId">Deterministic id of the change (e.g. the inbound event id); hashed before storage.</param>
    /// <param name="data">What every receiver gets: no personal data (contact key, kinds, opaque ids).</param>
    /// <param name="content">What receivers with IncludeContent also get (text, profile name); sealed.</param>
    /// <returns>True when the event is (now) in the outbox; false when no subscription wants it.</returns>
    public async Task<bool> AppendAsync(
        string contactKey,
        string changeId,
        string type,
        DateTimeOffset occurredAt,
        IReadOnlyDictionary<string, object?> data,
        IReadOnlyDictionary<string, string?>? content,
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

        await AppendRowAsync(contactKey, changeRow, eventId, type, occurredAt, JsonSerializer.Serialize(data), sealedContent, null, cancellationToken);
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
            parked.GetString("Data") ?? "{}", parked.GetBinary("Content"), subscriptionId, cancellationToken);
    }

    private async Task AppendRowAsync(
        string contactKey, string changeRow, string eventId, string type, DateTimeOffset occurredAt, string data, byte[]? sealedContent, string? onlyFor, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            // The head this process wrote last saves a read per event; a stale one fails the transaction (412/404) and is read again.
            var (known, headSequence, headETag) = _heads.TryGetValue(contactKey, out var cached)
                ? (true, cached.Sequence, cached.ETag)
                : await ReadHeadAsync(contactKey, cancellationToken);
            var sequence = headSequence + 1;
            var newHead = new TableEntity(contactKey, HeadRow) { ["Sequence"] = sequence };
            var row = new TableEntity(contactKey, EventRow(sequence))
            {
                ["Type"] = type,
                ["EventId"] = eventId,
                ["OccurredAt"] = occurredAt,
                ["Data"] = data,
                ["ChangeRow"] = changeRow,
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
                new(TableTransactionActionType.Add, new TableEntity(contactKey, changeRow) { ["Sequence"] = sequence }),
                known
                    ? new(TableTransactionActionType.UpdateReplace, newHead, headETag)
                    : new(TableTransactionActionType.Add, newHead),
                new(TableTransactionActionType.Add, row),
            };
            try
            {
                var responses = (await _table.SubmitTransactionAsync(actions, cancellationToken)).Value;
                RememberHead(contactKey, sequence, responses.Count > 1 ? responses[1].Headers.ETag : null);
                break;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
            {
                _heads.TryRemove(contactKey, out _);
                if ((await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, changeRow, select: ["Sequence"], cancellationToken: cancellationToken)).HasValue)
                {
                    // Appended by an earlier attempt of the same follow-up; only the delivery nudge may be missing.
                    break;
                }

                if (attempt >= 20)
                {
                    throw;
                }

                // Another change of the same contact took this sequence number first.
            }
        }

        await NudgeAsync(contactKey, TimeSpan.Zero, cancellationToken);
    }

    private async Task<(bool Known, long Sequence, ETag ETag)> ReadHeadAsync(string contactKey, CancellationToken cancellationToken)
    {
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, HeadRow, cancellationToken: cancellationToken);
        return head.HasValue ? (true, head.Value!.GetInt64("Sequence") ?? 0, head.Value.ETag) : (false, 0, default);
    }

    private void RememberHead(string contactKey, long sequence, ETag? etag)
    {
        if (etag is not { } known || known == default)
        {
            _heads.TryRemove(contactKey, out _);
            return;
        }

        if (_heads.Count >= MaxCachedHeads)
        {
            _heads.Clear();
        }

        _heads[contactKey] = (sequence, known);
    }

    /// <summary>Asks the delivery worker to look at the contact's pending events after <paramref name="delay"/>.</summary>
    public async Task NudgeAsync(string contactKey, TimeSpan delay, CancellationToken cancellationToken) =>
        await storage.Queue(StorageNames.EventsOutQueue).SendMessageAsync(
            contactKey, visibilityTimeout: delay > TimeSpan.Zero ? delay : null, cancellationToken: cancellationToken);

    /// <summary>Deletes every row of the contact (erasure).</summary>
    public async Task<int> DeleteContactAsync(string contactKey, CancellationToken cancellationToken)
    {
        _heads.TryRemove(contactKey, out _);
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
