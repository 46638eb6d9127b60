using System.Runtime.CompilerServices;
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
/// A contact's messages, partitioned by contact key so they are erased together, in the contact's shard table
/// (<see cref="MessageTables"/>; rows of earlier releases stay in the legacy table and are found there). Row keys are
/// keyed hashes of the wamid, because a wamid embeds the phone number; the wamid itself and all text are sealed with
/// the contact's data key.
/// </summary>
public sealed class MessageStore(StorageClients storage, KeyedHasher hasher, ContactKeyring keyring, TimeProvider time, RetentionIndex? retention = null, ContactActivity? activity = null)
    : ISendEvidence
{
    private readonly TableClient[] _shards = [.. ContactShards.TableNames(StorageNames.MessagesTable).Select(storage.Table)];
    private readonly TableClient _legacy = storage.Table(MessageTables.Legacy);

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
        var shard = ShardOf(contactKey);
        await NoteRetentionAsync(entity, cancellationToken);
        try
        {
            // No look into the legacy table: a redelivery of a message stored there before the upgrade adds a second
            // row with the same row key, which readers show once (ListAsync) and erasure and retention reach anyway.
            await shard.AddEntityAsync(entity, cancellationToken);
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
            var (table, existing) = await FindAsync(contactKey, rowKey, cancellationToken);
            var entity = existing ?? new TableEntity(contactKey, rowKey) { ["Direction"] = "out" };
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
                if (existing is not null)
                {
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    entity["Wamid"] = await keyring.SealAsync(contactKey, "wamid", status.MessageId, cancellationToken);
                    await NoteRetentionAsync(entity, cancellationToken);
                    await table.AddEntityAsync(entity, cancellationToken);
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
        var shard = ShardOf(contactKey);
        await NoteRetentionAsync(entity, cancellationToken);
        try
        {
            await shard.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Every message row of the contact (a thread is small next to the table: one partition).</summary>
    public IAsyncEnumerable<TableEntity> ListAsync(string contactKey, CancellationToken cancellationToken) =>
        ListAsync(contactKey, null, cancellationToken);

    /// <summary>
    /// The contact's message rows with only <paramref name="columns"/> (all when null): one partition query with large
    /// pages in the contact's shard, and alongside it one in the legacy table (empty on an install that never had it,
    /// which costs Azurite nothing). A row in both (a redelivery after the upgrade) is listed once, from the shard.
    /// </summary>
    public async IAsyncEnumerable<TableEntity> ListAsync(
        string contactKey, IEnumerable<string>? columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var select = columns is null ? null : columns.Append("RowKey").Distinct(StringComparer.Ordinal).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var legacy = ToListAsync(PartitionAsync(_legacy, contactKey, select, stop.Token));
        try
        {
            var listed = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var row in PartitionAsync(ShardOf(contactKey), contactKey, select, cancellationToken))
            {
                listed.Add(row.RowKey);
                yield return row;
            }

            foreach (var row in await legacy)
            {
                if (!listed.Contains(row.RowKey))
                {
                    yield return row;
                }
            }
        }
        finally
        {
            // Abandoned early (or failed): the legacy query stops, and its outcome is observed, not left to the finalizer.
            await stop.CancelAsync();
            await Task.WhenAny(legacy);
            _ = legacy.Exception;
        }
    }

    /// <summary>
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
            var (table, existing) = await FindAsync(contactKey, rowKey, cancellationToken);
            var entity = existing ?? new TableEntity(contactKey, rowKey)
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
                if (existing is not null)
                {
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    // A row the original's own insert may never come to (it was swept already, or never delivered) must
                    // still reach Retention:Messages. If the original does arrive (seconds later, as a rule), its own entry
                    // is a second one; the earlier decides, and the later finds the row gone.
                    await NoteRetentionAsync(entity, cancellationToken);
                    await table.AddEntityAsync(entity, cancellationToken);
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
        foreach (var table in new[] { ShardOf(contactKey), _legacy })
        {
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == contactKey && e.RowKey.CompareTo("m-") >= 0 && e.RowKey.CompareTo("m.") < 0 && e.GetString("CallbackId") == callbackId, maxPerPage: 10, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                return row.RowKey.StartsWith("m-", StringComparison.Ordinal) ? row.RowKey[2..] : null;
            }
        }

        return null;
    }

    public async Task<bool> ExistsAsync(string contactKey, string rowKey, CancellationToken cancellationToken) =>
        (await FindAsync(contactKey, rowKey, cancellationToken, ["RowKey"])).Row is not null;

    public async Task<TableEntity?> GetAsync(string contactKey, string wamid, CancellationToken cancellationToken) =>
        (await FindAsync(contactKey, RowKeyOf(wamid), cancellationToken)).Row;

    private TableClient ShardOf(string contactKey) => _shards[ContactShards.Of(contactKey)];

    /// <summary>The row and the table it is in: the contact's shard, else the legacy table; not found: the shard and null.</summary>
    private async Task<(TableClient Table, TableEntity? Row)> FindAsync(
        string contactKey, string rowKey, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var shard = ShardOf(contactKey);
        var row = await shard.GetEntityIfExistsAsync<TableEntity>(contactKey, rowKey, select, cancellationToken);
        if (row.HasValue)
        {
            return (shard, row.Value);
        }

        var legacy = await _legacy.GetEntityIfExistsAsync<TableEntity>(contactKey, rowKey, select, cancellationToken);
        return legacy.HasValue ? (_legacy, legacy.Value) : (shard, null);
    }

    private static IAsyncEnumerable<TableEntity> PartitionAsync(TableClient table, string contactKey, IEnumerable<string>? select, CancellationToken cancellationToken) =>
        table.QueryAsync<TableEntity>($"PartitionKey eq '{contactKey.Replace("'", "''", StringComparison.Ordinal)}'", maxPerPage: 1000, select: select, cancellationToken: cancellationToken);

    private static async Task<List<TableEntity>> ToListAsync(IAsyncEnumerable<TableEntity> rows)
    {
        var list = new List<TableEntity>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }

    // Noted before the row is written, so a crash in between leaves an index row pointing at nothing, not an unswept row.
    // New rows only, so always in the contact's shard (the legacy table's rows were noted when they were written).
    private Task NoteRetentionAsync(TableEntity entity, CancellationToken cancellationToken) =>
        retention?.NoteAsync(RetentionClasses.Messages, MessageTables.Of(entity.PartitionKey), entity.PartitionKey, entity.RowKey, time.GetUtcNow(), cancellationToken)
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
