using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Conversations;

/// <summary>
/// One row per contact (Conversations, PartitionKey = contact key) with what the inbox lists: last message time and
/// sealed preview, sealed profile name, unread count, status, assignee, labels. A second table (ConversationIndex,
/// one partition) orders conversations newest first: RowKey = inverted last-message ticks + contact key, no personal
/// data. The conversation row names its current index row (so erasure finds it); moving it writes the new index row
/// first, then the conversation, then deletes the old one, so a crash leaves at most a stale index row, which
/// readers skip because the conversation no longer names it.
/// </summary>
public sealed class ConversationStore(StorageClients storage, ContactKeyring keyring, TimeProvider time)
{
    public const string Row = "conversation";
    public const string IndexPartition = "all";
    public const int MaxPreviewChars = 120;

    private readonly TableClient _table = storage.Table(StorageNames.ConversationsTable);
    private readonly TableClient _index = storage.Table(StorageNames.ConversationIndexTable);

    public static string IndexKey(DateTimeOffset lastMessageAt, string contactKey) =>
        (DateTimeOffset.MaxValue.UtcTicks - lastMessageAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + contactKey;

    /// <summary>
    /// An inbound message: newest message and preview move forward (never back, Meta delivers out of order), unread
    /// counts up once per message (the marker makes a repeated follow-up of the same message a no-op), and a closed
    /// conversation opens again.
    /// </summary>
    public Task NoteInboundAsync(string contactKey, string messageId, DateTimeOffset at, string? preview, string? profileName, CancellationToken cancellationToken) =>
        ChangeAsync(contactKey, async row =>
        {
            if (row.GetString("LastCountedMessage") == messageId)
            {
                return false;
            }

            row["LastCountedMessage"] = messageId;
            row["Unread"] = (row.GetInt32("Unread") ?? 0) + 1;
            row["Status"] = ConversationStatus.Open;
            if (row.GetDateTimeOffset("LastInboundAt") is not { } lastIn || at > lastIn)
            {
                row["LastInboundAt"] = at;
            }

            if (profileName is not null)
            {
                row["ProfileName"] = await keyring.SealAsync(contactKey, "profile_name", profileName, cancellationToken);
            }

            await MoveLastMessageAsync(row, at, preview, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>A reply an agent sent: it becomes the last message; unread is untouched.</summary>
    public Task NoteOutboundAsync(string contactKey, DateTimeOffset at, string preview, CancellationToken cancellationToken) =>
        ChangeAsync(contactKey, async row =>
        {
            await MoveLastMessageAsync(row, at, preview, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<bool> MarkReadAsync(string contactKey, CancellationToken cancellationToken) =>
        ChangeExistingAsync(contactKey, row =>
        {
            row["Unread"] = 0;
            row["ReadAt"] = time.GetUtcNow();
            return true;
        }, cancellationToken);

    public Task<bool> UpdateAsync(string contactKey, string? status, string? assignedTo, IReadOnlyList<string>? labels, CancellationToken cancellationToken) =>
        ChangeExistingAsync(contactKey, row =>
        {
            if (status is not null)
            {
                row["Status"] = status;
            }

            if (assignedTo is not null)
            {
                // An empty string unassigns.
                row["AssignedTo"] = assignedTo.Length == 0 ? null : assignedTo;
            }

            if (labels is not null)
            {
                row["Labels"] = JsonSerializer.Serialize(labels);
            }

            return true;
        }, cancellationToken);

    public async Task<Conversation?> GetAsync(string contactKey, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, Row, cancellationToken: cancellationToken);
        return row.HasValue ? await ToConversationAsync(row.Value!, cancellationToken) : null;
    }

    /// <summary>Newest first; <paramref name="after"/> is the index key of the last item of the previous page.</summary>
    public async Task<(IReadOnlyList<Conversation> Items, string? Next)> ListAsync(string? status, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {IndexPartition}");
        if (after is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {after}");
        }

        if (status is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        }

        var items = new List<Conversation>(pageSize);
        string? lastKey = null;
        var more = false;
        await foreach (var page in _index.QueryAsync<TableEntity>(filter, maxPerPage: pageSize + 1, cancellationToken: cancellationToken).AsPages())
        {
            var candidates = page.Values.ToList();
            var rows = await Task.WhenAll(candidates.Select(c => _table.GetEntityIfExistsAsync<TableEntity>(c.GetString("ContactKey"), Row, cancellationToken: cancellationToken)));
            for (var i = 0; i < candidates.Count; i++)
            {
                if (!rows[i].HasValue || rows[i].Value!.GetString("IndexKey") != candidates[i].RowKey)
                {
                    continue; // stale index row (a crash between the steps of a move, or an erased contact)
                }

                if (status is not null && rows[i].Value!.GetString("Status") != status)
                {
                    continue;
                }

                if (items.Count == pageSize)
                {
                    more = true;
                    break;
                }

                items.Add(await ToConversationAsync(rows[i].Value!, cancellationToken));
                lastKey = candidates[i].RowKey;
            }

            if (more || page.ContinuationToken is null)
            {
                break;
            }
        }

        return (items, more ? lastKey : null);
    }

    /// <summary>Erasure: the conversation row and its index rows.</summary>
    public async Task DeleteAsync(string contactKey, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, Row, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return;
        }

        if (row.Value!.GetString("IndexKey") is { } indexKey)
        {
            await _index.DeleteEntityAsync(IndexPartition, indexKey, ETag.All, cancellationToken);
        }

        await _table.DeleteEntityAsync(contactKey, Row, ETag.All, cancellationToken);
    }

    private async Task MoveLastMessageAsync(TableEntity row, DateTimeOffset at, string? preview, CancellationToken cancellationToken)
    {
        if (row.GetDateTimeOffset("LastMessageAt") is { } last && last > at)
        {
            return;
        }

        row["LastMessageAt"] = at;
        row["Preview"] = preview is null ? null : await keyring.SealAsync(row.PartitionKey, "preview", preview.Length > MaxPreviewChars ? preview[..MaxPreviewChars] : preview, cancellationToken);
        var newKey = IndexKey(at, row.PartitionKey);
        if (row.GetString("IndexKey") is { } oldKey && oldKey != newKey)
        {
            row["PreviousIndexKey"] = oldKey;
        }

        row["IndexKey"] = newKey;
    }

    private Task<bool> ChangeExistingAsync(string contactKey, Func<TableEntity, bool> change, CancellationToken cancellationToken) =>
        ChangeAsync(contactKey, row => Task.FromResult(change(row)), cancellationToken, mustExist: true);

    private async Task<bool> ChangeAsync(string contactKey, Func<TableEntity, Task<bool>> change, CancellationToken cancellationToken, bool mustExist = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, Row, cancellationToken: cancellationToken);
            if (!existing.HasValue && mustExist)
            {
                return false;
            }

            var row = existing.HasValue ? existing.Value! : new TableEntity(contactKey, Row) { ["Status"] = ConversationStatus.Open, ["Unread"] = 0 };
            if (!await change(row))
            {
                return true;
            }

            var indexKey = row.GetString("IndexKey");
            var previous = row.GetString("PreviousIndexKey");
            row.Remove("PreviousIndexKey");
            if (indexKey is not null)
            {
                // Written first (and again with the status on every change), so the list filters on the index alone.
                await _index.UpsertEntityAsync(
                    new TableEntity(IndexPartition, indexKey) { ["ContactKey"] = contactKey, ["Status"] = row.GetString("Status") },
                    TableUpdateMode.Replace,
                    cancellationToken);
            }

            try
            {
                if (existing.HasValue)
                {
                    await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await _table.AddEntityAsync(row, cancellationToken);
                }
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                continue;
            }

            if (previous is not null)
            {
                await _index.DeleteEntityAsync(IndexPartition, previous, ETag.All, cancellationToken);
            }

            return true;
        }
    }

    private async Task<Conversation> ToConversationAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var contactKey = row.PartitionKey;
        var lastInbound = row.GetDateTimeOffset("LastInboundAt");
        var labels = row.GetString("Labels") is { } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];
        return new Conversation(
            contactKey,
            await keyring.OpenAsync(contactKey, "profile_name", row.GetBinary("ProfileName"), cancellationToken),
            row.GetDateTimeOffset("LastMessageAt"),
            await keyring.OpenAsync(contactKey, "preview", row.GetBinary("Preview"), cancellationToken),
            row.GetInt32("Unread") ?? 0,
            lastInbound?.AddHours(24),
            labels,
            row.GetString("AssignedTo"),
            row.GetString("Status") ?? ConversationStatus.Open);
    }
}
