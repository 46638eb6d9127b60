using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Events;

/// <summary>
/// Delivers one contact's pending events to every subscription, in sequence order. Each subscription has a cursor
/// row in the contact's partition: an event is sent only after every earlier one was acknowledged (2xx) or parked,
/// so order per contact holds even when two workers look at the same contact (they may both send an event: the
/// receiver sees the same webhook-id twice, which the specification allows). A failing receiver blocks only its
/// own cursor, with back-off, until <see cref="EventsOptions.GiveUpAfter"/>; then the event is parked in
/// <see cref="StorageNames.ParkedEventsTable"/> for the operator and the next one goes.
/// Logs name the contact key, the subscription id and the type, never content.
/// </summary>
public sealed class EventDispatcher(
    StorageClients storage,
    EventHeads heads,
    ContactKeyring keyring,
    IHttpClientFactory httpClients,
    IOptionsMonitor<EventsOptions> options,
    TimeProvider time,
    ILogger<EventDispatcher> logger)
{
    public const string HttpClientName = "events-out";

    private const int MaxTransactionActions = 100;
    private const int MaxPasses = 8;

    private readonly TableClient _table = storage.Table(StorageNames.EventOutboxTable);
    private readonly TableClient _parked = storage.Table(StorageNames.ParkedEventsTable);

    // One delivery per contact at a time in this process; other processes are covered by the cursor rules above.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new(StringComparer.Ordinal);

    // Subscriptions whose receiver failed an in-line delivery lately: their events take the queued path for a while, so a
    // receiver that is down does not slow down the inbound processing that appends.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _inlinePausedUntil = new(StringComparer.Ordinal);

    /// <returns>When to look again (a receiver is backing off), or null when nothing is left to do.</returns>
    public async Task<TimeSpan?> DeliverAsync(string contactKey, CancellationToken cancellationToken)
    {
        var gate = _running.GetOrAdd(contactKey, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await DeliverLockedAsync(contactKey, cancellationToken);
        }
        finally
        {
            gate.Release();
            if (gate.CurrentCount == 1)
            {
                _running.TryRemove(new KeyValuePair<string, SemaphoreSlim>(contactKey, gate));
            }
        }
    }

    private async Task<TimeSpan?> DeliverLockedAsync(string contactKey, CancellationToken cancellationToken)
    {
        // A pass that loses a race (an append moved the head, another process a cursor) reads the partition again; the
        // events it sent meanwhile go again under the same webhook-ids only when its commit failed as a whole.
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var outcome = await DeliverPassAsync(contactKey, pass, cancellationToken);
            if (outcome.Done)
            {
                return outcome.LookAgain;
            }
        }

        return TimeSpan.Zero;
    }

    private async Task<(bool Done, TimeSpan? LookAgain)> DeliverPassAsync(string contactKey, int pass, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var events = new List<TableEntity>();
        var cursors = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        TableEntity? head = null;
        // One range query for cursors (c-), events (d-, and e- of the former layout) and the head.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {contactKey} and RowKey ge {EventOutbox.CursorRowPrefix} and RowKey le {EventOutbox.HeadRow}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (IsEvent(row))
            {
                events.Add(row);
            }
            else if (row.RowKey.StartsWith(EventOutbox.CursorRowPrefix, StringComparison.Ordinal))
            {
                cursors[row.RowKey[EventOutbox.CursorRowPrefix.Length..]] = row;
            }
            else if (row.RowKey == EventOutbox.HeadRow)
            {
                head = row;
            }
        }

        events.Sort((a, b) => SequenceOf(a).CompareTo(SequenceOf(b)));
        // What one commit transaction can hold: a delete of each event (and of its change row, in the former layout), the
        // cursors and the head.
        var room = Math.Max(1, (MaxTransactionActions - 1 - settings.Subscriptions.Count) / 2);
        var capped = events.Count > room;
        if (capped)
        {
            events.RemoveRange(room, events.Count - room);
        }

        // A cursor of another epoch (written by a delivery that lost the race to the one that deleted the head, or before an
        // erasure) says nothing about this epoch's sequence numbers: it counts as absent, and is replaced or deleted.
        var epoch = head?.GetString(EventOutbox.EpochColumn);
        var bodies = new Dictionary<(string RowKey, bool Content), byte[]>();
        var lookAgain = default(TimeSpan?);
        var moved = new List<Move>();
        var lowestDelivered = long.MaxValue;
        foreach (var subscription in settings.Subscriptions)
        {
            var read = cursors.GetValueOrDefault(subscription.Id);
            var cursor = read is not null && read.GetString(EventOutbox.EpochColumn) == epoch
                ? read
                : new TableEntity(contactKey, EventOutbox.CursorRowPrefix + subscription.Id) { ETag = read?.ETag ?? default };
            var stored = cursor.GetInt64("Delivered") ?? 0;
            var delivered = stored;
            var now = time.GetUtcNow();
            if (events.Count > 0 && cursor.GetDateTimeOffset("NextAttemptAt") is { } next && next > now)
            {
                lookAgain = Min(lookAgain, next - now);
                lowestDelivered = Math.Min(lowestDelivered, delivered);
                continue;
            }

            // The whole batch goes in order, and the cursor is written once at its end (or at the first refusal): a
            // crash in between sends some events again under the same webhook-id, which receivers de-duplicate.
            var cursorChanged = false;
            foreach (var row in events)
            {
                var sequence = SequenceOf(row);
                if (sequence <= delivered)
                {
                    continue;
                }

                var type = row.GetString("Type") ?? "";
                if (!subscription.Wants(type) || (row.GetString(EventOutbox.OnlyForColumn) is { } onlyFor && onlyFor != subscription.Id))
                {
                    delivered = sequence;
                    continue;
                }

                if (!bodies.TryGetValue((row.RowKey, subscription.IncludeContent), out var body))
                {
                    body = await BodyAsync(row, subscription.IncludeContent, cancellationToken);
                    bodies[(row.RowKey, subscription.IncludeContent)] = body;
                }

                var ok = await PostAsync(subscription, row.GetString("EventId")!, body, settings.RequestTimeout, cancellationToken);
                now = time.GetUtcNow();
                if (ok)
                {
                    delivered = sequence;
                    cursorChanged |= ClearFailures(cursor);
                    continue;
                }

                var attempts = (cursor.GetInt32("Attempts") ?? 0) + 1;
                var firstFailure = cursor.GetDateTimeOffset("FirstFailureAt") ?? now;
                if (now - firstFailure >= settings.GiveUpAfter)
                {
                    await ParkAsync(subscription, row, attempts, firstFailure, cancellationToken);
                    logger.LogError("Event {Type} #{Sequence} for contact {ContactKey} parked for subscription {SubscriptionId} after {Attempts} attempts",
                        type, sequence, contactKey, subscription.Id, attempts);
                    delivered = sequence;
                    cursorChanged |= ClearFailures(cursor);
                    continue;
                }

                var backoff = Backoff(attempts, settings.MaxBackoff);
                cursor["Attempts"] = attempts;
                cursor["FirstFailureAt"] = firstFailure;
                cursor["NextAttemptAt"] = now + backoff;
                cursorChanged = true;
                logger.LogWarning("Event {Type} #{Sequence} for contact {ContactKey} not accepted by subscription {SubscriptionId} (attempt {Attempts}); next try in {Backoff}",
                    type, sequence, contactKey, subscription.Id, attempts, backoff);
                lookAgain = Min(lookAgain, backoff);
                break;
            }

            moved.Add(new Move(cursor, stored, delivered, cursorChanged));
            lowestDelivered = Math.Min(lowestDelivered, delivered);
        }

        if (settings.Subscriptions.Count == 0 && events.Count > 0)
        {
            lowestDelivered = SequenceOf(events[^1]);
        }

        var done = events.Where(e => SequenceOf(e) <= lowestDelivered).ToList();
        // Only a cursor ahead of what is deleted, or with failures to remember, needs writing: every event at or below the
        // lowest cursor leaves the outbox, and a cursor behind the remaining events' numbers skips none of them.
        var writes = moved.Where(m => m.FailuresChanged || (m.Delivered > m.Stored && m.Delivered > lowestDelivered)).ToList();
        var pending = head?.GetBoolean(EventOutbox.PendingColumn) == true;
        var headSequence = head?.GetInt64("Sequence") ?? 0;
        if (events.Count == 0)
        {
            if (!pending)
            {
                return (true, null);
            }

            if (pass < MaxPasses - 1)
            {
                // Marked pending with no event in sight: an append is half-way (its head is written, its event row not yet
                // visible to this query). Its appender did not nudge, so look again shortly instead of leaving it.
                await Task.Delay(TimeSpan.FromMilliseconds(25 * (pass + 1)), cancellationToken);
                return (false, null);
            }

            logger.LogWarning("Events for contact {ContactKey} were marked pending, but none is stored; the mark is cleared", contactKey);
        }

        // Clearing the pending mark (deleting the head) is tied to the head this pass read (an append since fails it: its event goes next pass)
        // and needs every event up to that head in hand (the query may have read the head after an event it did not see).
        var clearHead = pending && !capped && lookAgain is null && done.Count == events.Count
            && (events.Count == 0 || SequenceOf(events[^1]) == headSequence);
        if (await CommitAsync(contactKey, writes, done, clearHead ? head : null, [.. cursors.Values], epoch, cancellationToken))
        {
            if (clearHead)
            {
                return (true, null);
            }

            // Left pending: a receiver backing off (nudged later), more than one transaction's worth, or an event in flight.
            return capped || (pending && lookAgain is null) ? (false, null) : (true, lookAgain);
        }

        if (clearHead)
        {
            await CommitAsync(contactKey, writes, done, null, [], epoch, cancellationToken);
        }

        return (false, null);
    }

    /// <summary>
    /// As one entity-group transaction: the deletion of what every subscription is past (events, and their change rows in
    /// the former layout) and either the cursors' new positions (written with the epoch) or, when the pass delivered up to
    /// the head it read, the deletion of that head (If-Match: an append since fails it) with every cursor of the contact,
    /// which leaves nothing of the contact in the outbox. False when it could not be done so.
    /// </summary>
    private async Task<bool> CommitAsync(
        string contactKey, List<Move> writes, List<TableEntity> done, TableEntity? clearHead, IReadOnlyList<TableEntity> cursorRows, string? epoch, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>();
        foreach (var row in done)
        {
            actions.AddRange(Deletions(row));
        }

        if (clearHead is not null)
        {
            actions.AddRange(cursorRows.Select(c => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(contactKey, c.RowKey), ETag.All)));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(contactKey, EventOutbox.HeadRow), clearHead.ETag));
        }
        else
        {
            foreach (var (cursor, _, delivered, _) in writes)
            {
                cursor["Delivered"] = delivered;
                cursor[EventOutbox.EpochColumn] = epoch;
                actions.Add(cursor.ETag == default
                    ? new TableTransactionAction(TableTransactionActionType.Add, cursor)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, cursor, cursor.ETag));
            }
        }

        if (actions.Count == 0)
        {
            return true;
        }

        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
            if (clearHead is not null)
            {
                heads.Remember(contactKey, EventHead.None);
            }

            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            if (clearHead is not null)
            {
                heads.Forget(contactKey);
            }

            return false;
        }
    }

    /// <summary>
    /// Delivers an event its appender has just written to a contact with nothing else pending (<see cref="EventOutbox.AppendAndDeliverAsync"/>):
    /// sent to every subscription that wants it, then deleted with the head in one transaction tied to the
    /// head the append wrote. False, with nothing changed in storage, when a receiver fails or is in its pause after a
    /// failure here, or an append or another delivery got in between: the caller then nudges and the queued path takes over
    /// (a receiver may see the event twice, under the same webhook-id).
    /// </summary>
    public async Task<bool> DeliverAppendedAsync(TableEntity row, EventHead head, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var type = row.GetString("Type") ?? "";
        var wanting = settings.Subscriptions.Where(s => s.Wants(type)).ToList();
        var now = time.GetUtcNow();
        if (wanting.Any(s => _inlinePausedUntil.TryGetValue(s.Id, out var until) && until > now))
        {
            return false;
        }

        var bodies = new Dictionary<bool, byte[]>();
        foreach (var subscription in wanting)
        {
            if (!bodies.TryGetValue(subscription.IncludeContent, out var body))
            {
                body = await BodyAsync(row, subscription.IncludeContent, cancellationToken);
                bodies[subscription.IncludeContent] = body;
            }

            if (!await PostAsync(subscription, row.GetString("EventId")!, body, settings.InlineRequestTimeout, cancellationToken))
            {
                _inlinePausedUntil[subscription.Id] = time.GetUtcNow() + settings.InlinePauseAfterFailure;
                return false;
            }
        }

        var contactKey = row.PartitionKey;
        // The head goes with the event (If-Match on the head the append wrote): nothing of the contact stays in the outbox. A
        // cursor of an earlier delivery, if any, belongs to the head's epoch and is ignored once a new head starts another.
        var actions = Deletions(row).ToList();
        actions.Add(new(TableTransactionActionType.Delete, new TableEntity(contactKey, EventOutbox.HeadRow), head.ETag));
        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
            heads.Remember(contactKey, EventHead.None);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            heads.Forget(contactKey);
            return false;
        }
    }

    private static bool ClearFailures(TableEntity cursor)
    {
        if (cursor.GetInt32("Attempts") is null or 0 && cursor.GetDateTimeOffset("FirstFailureAt") is null && cursor.GetDateTimeOffset("NextAttemptAt") is null)
        {
            return false;
        }

        cursor["Attempts"] = 0;
        cursor["FirstFailureAt"] = null;
        cursor["NextAttemptAt"] = null;
        return true;
    }

    /// <summary>The JSON body a receiver gets: <c>{type, timestamp, data}</c>; identical on every retry.</summary>
    private async Task<byte[]> BodyAsync(TableEntity row, bool includeContent, CancellationToken cancellationToken)
    {
        var data = JsonNode.Parse(row.GetString("Data") ?? "{}") as JsonObject ?? [];
        if (includeContent && row.GetBinary("Content") is { } sealedContent)
        {
            // Null once the contact's key is shredded: the event then goes out without its content.
            var opened = await keyring.OpenAsync(row.PartitionKey, "event-content", sealedContent, cancellationToken);
            if (opened is not null && JsonNode.Parse(opened) is JsonObject extra)
            {
                foreach (var (name, value) in extra)
                {
                    data[name] = value?.DeepClone();
                }
            }
        }

        var envelope = new JsonObject
        {
            ["type"] = row.GetString("Type"),
            ["timestamp"] = row.GetDateTimeOffset("OccurredAt")?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["data"] = data,
        };
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    private async Task<bool> PostAsync(EventSubscription subscription, string eventId, byte[] body, TimeSpan timeoutAfter, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.IdHeader, eventId);
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(subscription.SigningKey(), eventId, timestamp, body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeoutAfter);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private async Task ParkAsync(EventSubscription subscription, TableEntity row, int attempts, DateTimeOffset firstFailure, CancellationToken cancellationToken)
    {
        var parked = new TableEntity(subscription.Id, row.PartitionKey + "-" + row.RowKey)
        {
            ["ContactKey"] = row.PartitionKey,
            ["Sequence"] = SequenceOf(row),
            ["Type"] = row.GetString("Type"),
            ["EventId"] = row.GetString("EventId"),
            ["OccurredAt"] = row.GetDateTimeOffset("OccurredAt"),
            ["Data"] = row.GetString("Data"),
            ["Content"] = row.GetBinary("Content"),
            ["Attempts"] = attempts,
            ["FirstFailureAt"] = firstFailure,
            ["ParkedAt"] = time.GetUtcNow(),
        };
        await _parked.UpsertEntityAsync(parked, TableUpdateMode.Replace, cancellationToken);
    }

    // A change row without a type is the change marker of an event stored in the former layout (its e- row is the event).
    private static bool IsEvent(TableEntity row) =>
        row.RowKey.StartsWith(EventOutbox.EventRowPrefix, StringComparison.Ordinal)
        || (row.RowKey.StartsWith(EventOutbox.ChangeRowPrefix, StringComparison.Ordinal) && row.ContainsKey("Type"));

    private static long SequenceOf(TableEntity row) =>
        row.RowKey.StartsWith(EventOutbox.EventRowPrefix, StringComparison.Ordinal)
            ? long.Parse(row.RowKey.AsSpan(EventOutbox.EventRowPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture)
            : row.GetInt64(EventOutbox.SequenceColumn) ?? 0;

    /// <summary>What leaves the outbox with a delivered or parked event: its row, and for the former layout its change row too.</summary>
    private static IEnumerable<TableTransactionAction> Deletions(TableEntity row)
    {
        yield return new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(row.PartitionKey, row.RowKey), ETag.All);
        if (row.GetString(EventOutbox.LegacyChangeRowColumn) is { } changeRow)
        {
            yield return new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(row.PartitionKey, changeRow), ETag.All);
        }
    }

    public static TimeSpan Backoff(int attempts, TimeSpan max) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(attempts - 1, 30)), max.TotalSeconds));

    private static TimeSpan? Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;

    /// <summary>A subscription's cursor after a pass: where it was, where it is now, and whether its failure columns changed.</summary>
    private readonly record struct Move(TableEntity Cursor, long Stored, long Delivered, bool FailuresChanged);
}
