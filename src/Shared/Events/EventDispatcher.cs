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
    ContactKeyring keyring,
    IHttpClientFactory httpClients,
    IOptionsMonitor<EventsOptions> options,
    TimeProvider time,
    ILogger<EventDispatcher> logger)
{
    public const string HttpClientName = "events-out";

    private readonly TableClient _table = storage.Table(StorageNames.EventOutboxTable);
    private readonly TableClient _parked = storage.Table(StorageNames.ParkedEventsTable);

    // One delivery per contact at a time in this process; other processes are covered by the cursor rules above.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new(StringComparer.Ordinal);

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
        var settings = options.CurrentValue;
        var events = new List<TableEntity>();
        var cursors = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        // One range query for cursors (c-) and events (e-); the change rows (d-) between them are skipped.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {contactKey} and RowKey ge {EventOutbox.CursorRowPrefix} and RowKey lt {"e."}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(EventOutbox.EventRowPrefix, StringComparison.Ordinal))
            {
                events.Add(row);
            }
            else if (row.RowKey.StartsWith(EventOutbox.CursorRowPrefix, StringComparison.Ordinal))
            {
                cursors[row.RowKey[EventOutbox.CursorRowPrefix.Length..]] = row;
            }
        }

        if (events.Count == 0)
        {
            return null;
        }

        events.Sort((a, b) => string.CompareOrdinal(a.RowKey, b.RowKey));
        var bodies = new Dictionary<(string RowKey, bool Content), byte[]>();
        var lookAgain = default(TimeSpan?);
        var moved = new List<(TableEntity Cursor, long Delivered)>();
        var lowestDelivered = long.MaxValue;
        foreach (var subscription in settings.Subscriptions)
        {
            var cursor = cursors.GetValueOrDefault(subscription.Id) ?? new TableEntity(contactKey, EventOutbox.CursorRowPrefix + subscription.Id);
            var stored = cursor.GetInt64("Delivered") ?? 0;
            var delivered = stored;
            var now = time.GetUtcNow();
            if (cursor.GetDateTimeOffset("NextAttemptAt") is { } next && next > now)
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

                var ok = await PostAsync(subscription, row.GetString("EventId")!, body, cancellationToken);
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

            if (delivered > stored || cursorChanged)
            {
                moved.Add((cursor, delivered));
            }

            lowestDelivered = Math.Min(lowestDelivered, delivered);
        }

        if (settings.Subscriptions.Count == 0)
        {
            lowestDelivered = SequenceOf(events[^1]);
        }

        var done = events.Where(e => SequenceOf(e) <= lowestDelivered).ToList();
        if (!await CommitAsync(contactKey, moved, done, cancellationToken))
        {
            // Another worker moved a cursor meanwhile (or the batch is large): cursor by cursor, keeping the further one.
            lowestDelivered = long.MaxValue;
            foreach (var (cursor, delivered) in moved)
            {
                var saved = await SaveCursorAsync(cursor, delivered, cancellationToken);
                lowestDelivered = Math.Min(lowestDelivered, saved.GetInt64("Delivered") ?? 0);
            }

            var stillLowest = settings.Subscriptions
                .Where(sub => moved.All(m => m.Cursor.RowKey != EventOutbox.CursorRowPrefix + sub.Id))
                .Select(sub => cursors.GetValueOrDefault(sub.Id)?.GetInt64("Delivered") ?? 0)
                .DefaultIfEmpty(settings.Subscriptions.Count == 0 ? SequenceOf(events[^1]) : long.MaxValue)
                .Min();
            lowestDelivered = Math.Min(lowestDelivered, stillLowest);
            await DeleteDeliveredAsync(contactKey, events.Where(e => SequenceOf(e) <= lowestDelivered), cancellationToken);
        }

        return lookAgain;
    }

    /// <summary>
    /// The cursors' new positions and the deletion of what every subscription is past (events and their change rows), as
    /// one entity-group transaction: one write per batch instead of one per event. False when it could not be done so.
    /// </summary>
    private async Task<bool> CommitAsync(string contactKey, List<(TableEntity Cursor, long Delivered)> moved, List<TableEntity> done, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>();
        foreach (var (cursor, delivered) in moved)
        {
            cursor["Delivered"] = delivered;
            actions.Add(cursor.ETag == default
                ? new TableTransactionAction(TableTransactionActionType.Add, cursor)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, cursor, cursor.ETag));
        }

        foreach (var row in done)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(contactKey, row.RowKey), ETag.All));
            if (row.GetString("ChangeRow") is { } changeRow)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(contactKey, changeRow), ETag.All));
            }
        }

        if (actions.Count == 0)
        {
            return true;
        }

        if (actions.Count > 100)
        {
            return false;
        }

        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
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

    private async Task<bool> PostAsync(EventSubscription subscription, string eventId, byte[] body, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.IdHeader, eventId);
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(subscription.SigningKey(), eventId, timestamp, body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CurrentValue.RequestTimeout);
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

    private async Task<TableEntity> SaveCursorAsync(TableEntity cursor, long delivered, CancellationToken cancellationToken)
    {
        cursor["Delivered"] = delivered;
        try
        {
            Response response = cursor.ETag == default
                ? await _table.AddEntityAsync(cursor, cancellationToken)
                : await _table.UpdateEntityAsync(cursor, cursor.ETag, TableUpdateMode.Replace, cancellationToken);
            cursor.ETag = response.Headers.ETag ?? default;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another worker moved this cursor: keep the further one of the two.
            var stored = (await _table.GetEntityAsync<TableEntity>(cursor.PartitionKey, cursor.RowKey, cancellationToken: cancellationToken)).Value;
            if ((stored.GetInt64("Delivered") ?? 0) < delivered)
            {
                foreach (var column in new[] { "Attempts", "FirstFailureAt", "NextAttemptAt" })
                {
                    stored[column] = cursor.TryGetValue(column, out var value) ? value : null;
                }

                return await SaveCursorAsync(stored, delivered, cancellationToken);
            }

            return stored;
        }

        return cursor;
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

    private async Task DeleteDeliveredAsync(string contactKey, IEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        // The change row goes with its event: a later repeat of the change would be sent again under the same
        // webhook-id, which receivers de-duplicate; keeping change rows forever would grow the partition without end.
        foreach (var chunk in rows.Chunk(50))
        {
            try
            {
                await _table.SubmitTransactionAsync(
                    chunk.SelectMany(r => (string?[])[r.RowKey, r.GetString("ChangeRow")])
                        .OfType<string>()
                        .Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(contactKey, key), ETag.All)),
                    cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Another worker deleted some of them; the rest go next time.
            }
        }
    }

    private static long SequenceOf(TableEntity row) =>
        long.Parse(row.RowKey.AsSpan(EventOutbox.EventRowPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture);

    public static TimeSpan Backoff(int attempts, TimeSpan max) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(attempts - 1, 30)), max.TotalSeconds));

    private static TimeSpan? Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;
}
