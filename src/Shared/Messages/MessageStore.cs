using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Outbound;
using Messaging.Shared.Retention;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Messages;

/// <summary>
/// A contact's messages, partitioned by contact key so they are erased together. Row keys are keyed hashes of
/// the wamid, because a wamid embeds the phone number; the wamid itself and all text are sealed with the
/// contact's data key.
/// </summary>
public sealed class MessageStore(StorageClients storage, KeyedHasher hasher, ContactKeyring keyring, TimeProvider time, RetentionIndex? retention = null, ContactActivity? activity = null)
    : ISendEvidence
{
    private readonly TableClient _table = storage.Table(StorageNames.MessagesTable);

    // A table property holds at most 64 KiB; WhatsApp caps text at 4096 characters, so only malformed or
    // future payloads come near this. They are kept truncated and flagged rather than failing the webhook.
    private const int MaxStoredChars = 16 * 1024;

    /// <summary>Set on rows whose <c>ReplyTo</c> column is authoritative; older rows keep it only inside sealed Raw.</summary>
    public const string ReplyToKnownColumn = "ReplyToKnown";

    public string RowKeyOf(string wamid) => "m-" + hasher.Hash("wamid", wamid);

    /// <summary>Stores an inbound message once; a redelivery finds the row and changes nothing.</summary>
    public async Task<bool> StoreInboundAsync(string contactKey, InboundMessage message, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(contactKey, RowKeyOf(message.MessageId))
        {
            ["Direction"] = "in",
            ["Type"] = message.Type,
            ["SentAt"] = message.Timestamp,
            ["ReceivedAt"] = time.GetUtcNow(),
            ["Wamid"] = await keyring.SealAsync(contactKey, "wamid", message.MessageId, cancellationToken),
            ["Raw"] = await keyring.SealAsync(contactKey, "message", Cap(message.RawJson), cancellationToken),
            ["Truncated"] = message.RawJson.Length > MaxStoredChars || message.Text?.Length > MaxStoredChars,
            ["ErrorCode"] = message.Errors.Count > 0 ? message.Errors[0].Code : null,
            // The thread shows what a reply answers without opening Raw (a row key, no personal data).
            ["ReplyTo"] = message.ContextMessageId is { Length: > 0 } context ? RowKeyOf(context) : null,
            [ReplyToKnownColumn] = true,
        };
        if (message.Text is not null)
        {
            entity["Text"] = await keyring.SealAsync(contactKey, "text", Cap(message.Text), cancellationToken);
        }

        await NoteActivityAsync(contactKey, cancellationToken);
        await NoteRetentionAsync(entity, cancellationToken);
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Applies a status monotonically (ETag-guarded read-modify-write). Statuses can arrive before we have a
    /// row for the message (sent elsewhere, or the outbox row is still being written): the row is created.
    /// Each status's first time is kept even when it arrives late and does not change the current status.
    /// The row is the status's own de-duplication: it lists the statuses it has seen, and
    /// <paramref name="beforeCommit"/> runs only for a status not seen yet, before the write that records it. A crash in
    /// between leaves the status unseen, so its redelivery runs the (idempotent) step again; once written, never again.
    /// </summary>
    public async Task<StatusApplied> ApplyStatusAsync(
        string contactKey, StatusUpdate status, Func<CancellationToken, Task>? beforeCommit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var rowKey = RowKeyOf(status.MessageId);
        await NoteActivityAsync(contactKey, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, rowKey, cancellationToken: cancellationToken);
            var entity = existing.HasValue ? existing.Value! : new TableEntity(contactKey, rowKey) { ["Direction"] = "out" };
            var seen = (entity.GetString("Seen") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            var current = entity.GetString("Status");
            if (seen.Contains(status.Status, StringComparer.Ordinal))
            {
                return new StatusApplied(current, IsNew: false);
            }

            var next = DeliveryStatus.Advance(current, status.Status);
            entity["Status"] = next;
            entity["Seen"] = string.Join(',', seen.Append(status.Status).Order(StringComparer.Ordinal));
            if (StampColumn(status.Status) is { } stampColumn && entity.GetDateTimeOffset(stampColumn) is null)
            {
                entity[stampColumn] = status.Timestamp;
            }

            if (status.Status == DeliveryStatus.Failed && status.Errors.Count > 0 && entity.GetInt32("ErrorCode") is null)
            {
                entity["ErrorCode"] = status.Errors[0].Code;
            }

            if (status.PricingCategory is not null && entity.GetString("PricingCategory") is null)
            {
                entity["PricingCategory"] = status.PricingCategory;
            }

            // Our own opaque send id (the outbox row key), echoed by Meta: evidence that a send left, for the outbox.
            if (status.BizOpaqueCallbackData is { Length: > 0 and <= 256 } callbackId && entity.GetString("CallbackId") is null)
            {
                entity["CallbackId"] = callbackId;
            }

            if (beforeCommit is not null)
            {
                await beforeCommit(cancellationToken);
            }

            try
            {
                if (existing.HasValue)
                {
                    await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    entity["Wamid"] = await keyring.SealAsync(contactKey, "wamid", status.MessageId, cancellationToken);
                    await NoteRetentionAsync(entity, cancellationToken);
                    await _table.AddEntityAsync(entity, cancellationToken);
                }

                return new StatusApplied(next, IsNew: true);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 10)
            {
                // Another status for the same message landed first; re-read and merge.
            }
        }
    }

    /// <summary>Row-key prefix of an agent's reply as queued (<see cref="StoreQueuedOutboundAsync"/>).</summary>
    public const string QueuedRowPrefix = "o-";

    /// <summary>
    /// An agent's reply as the thread shows it from the moment it is queued: row <c>o-{callbackId}</c>, where the callback
    /// id is the outbox's key of the send, which Meta echoes in the send's status webhooks; the thread takes the ticks from
    /// that status row. The text is sealed with the contact's key. A repeat (same send) keeps the first row and its time.
    /// </summary>
    /// <returns>False when the row was there already.</returns>
    public async Task<bool> StoreQueuedOutboundAsync(string contactKey, string callbackId, string type, string preview, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(contactKey, QueuedRowPrefix + callbackId)
        {
            ["Direction"] = "out",
            ["Type"] = type,
            ["SentAt"] = time.GetUtcNow(),
            ["Status"] = "accepted",
            ["CallbackId"] = callbackId,
            ["Text"] = await keyring.SealAsync(contactKey, "text", Cap(preview), cancellationToken),
        };
        await NoteRetentionAsync(entity, cancellationToken);
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Every message row of the contact (a thread is small next to the table: one partition).</summary>
    public IAsyncEnumerable<TableEntity> ListAsync(string contactKey, CancellationToken cancellationToken) =>
        _table.QueryAsync<TableEntity>(e => e.PartitionKey == contactKey, cancellationToken: cancellationToken);

    /// <summary>The contact's message rows with only <paramref name="columns"/>: one partition query, large pages.</summary>
    public IAsyncEnumerable<TableEntity> ListAsync(string contactKey, IEnumerable<string> columns, CancellationToken cancellationToken) =>
        _table.QueryAsync<TableEntity>($"PartitionKey eq '{contactKey.Replace("'", "''", StringComparison.Ordinal)}'", maxPerPage: 1000, select: columns, cancellationToken: cancellationToken);

    /// Applies a <c>revoke</c> or <c>edit</c> to the message it names, instead of storing it as a message of its own.
    /// A revoke removes the text and raw JSON (the customer took the message back) and is final; an edit replaces them,
    /// the newest edit winning whatever order Meta delivers in. When the original has not arrived yet (Meta does not
    /// promise order), its row is created from the revision, and the original's own insert then finds it taken.
    /// Idempotent: applying the same revision again changes nothing.
    /// </summary>
    /// <returns>What the original message is now: "revoked" or "edited" (or unchanged when a newer revision was there).</returns>
    public async Task<string> ApplyRevisionAsync(string contactKey, InboundMessage revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var rowKey = RowKeyOf(revision.OriginalMessageId ?? throw new ArgumentException("Not a revision.", nameof(revision)));
        for (var attempt = 0; ; attempt++)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, rowKey, cancellationToken: cancellationToken);
            var entity = existing.HasValue ? existing.Value! : new TableEntity(contactKey, rowKey)
            {
                ["Direction"] = "in",
                ["Wamid"] = await keyring.SealAsync(contactKey, "wamid", revision.OriginalMessageId, cancellationToken),
                ["ReceivedAt"] = time.GetUtcNow(),
            };
            if (entity.GetDateTimeOffset("RevokedAt") is not null)
            {
                return "revoked";
            }

            if (revision.Type == "revoke")
            {
                entity["RevokedAt"] = revision.Timestamp;
                entity.Remove("Text");
                entity.Remove("Raw");
            }
            else if (entity.GetDateTimeOffset("EditedAt") is { } lastEdit && lastEdit >= revision.Timestamp)
            {
                return "edited";
            }
            else
            {
                entity["EditedAt"] = revision.Timestamp;
                entity["EditCount"] = (entity.GetInt32("EditCount") ?? 0) + 1;
                entity["Raw"] = await keyring.SealAsync(contactKey, "message", Cap(revision.RawJson), cancellationToken);
                if (revision.Text is not null)
                {
                    entity["Text"] = await keyring.SealAsync(contactKey, "text", Cap(revision.Text), cancellationToken);
                }
                else
                {
                    entity.Remove("Text");
                }
            }

            try
            {
                if (existing.HasValue)
                {
                    await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await _table.AddEntityAsync(entity, cancellationToken);
                }

                return revision.Type == "revoke" ? "revoked" : "edited";
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 10)
            {
                // The original (or another revision) landed meanwhile; read it again.
            }
        }
    }

    /// <summary>A status row that echoed <paramref name="callbackId"/> proves the send left; its row key holds the wamid's hash.</summary>
    public async Task<string?> FindSentWamidHashAsync(string contactKey, string callbackId, CancellationToken cancellationToken)
    {
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == contactKey && e.RowKey.CompareTo("m-") >= 0 && e.RowKey.CompareTo("m.") < 0 && e.GetString("CallbackId") == callbackId, maxPerPage: 10, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return row.RowKey.StartsWith("m-", StringComparison.Ordinal) ? row.RowKey[2..] : null;
        }

        return null;
    }

    public async Task<bool> ExistsAsync(string contactKey, string rowKey, CancellationToken cancellationToken) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, rowKey, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;

    public async Task<TableEntity?> GetAsync(string contactKey, string wamid, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, RowKeyOf(wamid), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    // Noted before the row is written, so a crash in between leaves an index row pointing at nothing, not an unswept row.
    private Task NoteRetentionAsync(TableEntity entity, CancellationToken cancellationToken) =>
        retention?.NoteAsync(RetentionClasses.Messages, StorageNames.MessagesTable, entity.PartitionKey, entity.RowKey, time.GetUtcNow(), cancellationToken)
        ?? Task.CompletedTask;

    // A message either way keeps the contact from counting as inactive (Retention:InactiveContacts).
    private Task NoteActivityAsync(string contactKey, CancellationToken cancellationToken) =>
        activity?.NoteAsync(contactKey, cancellationToken) ?? Task.CompletedTask;

    private static string Cap(string value) => value.Length <= MaxStoredChars ? value : value[..MaxStoredChars];

    private static string? StampColumn(string status) => status switch
    {
        "sent" => "SentStatusAt",
        "delivered" => "DeliveredAt",
        "read" => "ReadAt",
        "played" => "PlayedAt",
        DeliveryStatus.Failed => "FailedAt",
        _ => null,
    };
}
