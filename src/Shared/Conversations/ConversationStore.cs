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
/// one partition) orders conversations newest first: RowKey = inverted last-message ticks + contact key, and carries a
/// copy of the listed columns (sealed ones stay sealed) so a page is one range query. The conversation row names its current index row (so erasure finds it); moving it writes the new index row
/// first, then the conversation, then deletes the old one, so a crash can leave a stale index row behind (never a
/// conversation missing from the list); the list then shows that contact twice until an operator sweep removes rows
/// whose conversation names another index key (not built yet).
/// </summary>
public sealed class ConversationStore(StorageClients storage, ContactKeyring keyring, TimeProvider time)
{
    public const string Row = "conversation";
    public const string IndexPartition = "all";
    public const int MaxPreviewChars = 120;

    private static readonly string[] ListedColumns = ["Status", "LastMessageAt", "Preview", "ProfileName", "Unread", "LastInboundAt", "Labels", "AssignedTo"];

    private readonly TableClient _table = storage.Table(StorageNames.ConversationsTable);
    private readonly TableClient _index = storage.Table(StorageNames.ConversationIndexTable);

    // Every conversation's index row lives in the one partition "all": the moves of concurrent conversations go
    // together as one transaction instead of two requests each.
    private static readonly PartitionGroupCommit.Lane IndexLane = new(StorageNames.ConversationIndexTable, IndexPartition);
    private readonly PartitionGroupCommit _indexWrites = new((_, actions, cancellationToken) => WriteIndexAsync(storage, actions, cancellationToken));

    // The row as this process last wrote it, with its ETag: a busy conversation is written once per message without
    // reading it first. Any other writer (another instance, an agent on another host) changes the ETag, so the
    // guarded write fails with 412 and the next attempt reads the row afresh.
    private readonly BoundedCache<string, TableEntity> _lastWritten = new(20_000, TimeSpan.FromMinutes(10), time);

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
        return row.HasValue ? await ToConversationAsync(row.Value!, contactKey, cancellationToken) : null;
    }

    /// <summary>
    /// Newest first; <paramref name="after"/> is the index key of the last item of the previous page. One range query:
    /// index rows carry a copy of what the list shows. A stale row left by a crash mid-move shows a contact twice at
    /// most until its next change; within a page the newer row wins.
    /// </summary>
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

        var rows = new List<TableEntity>(pageSize + 1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in _index.QueryAsync<TableEntity>(filter, maxPerPage: pageSize + 1, cancellationToken: cancellationToken))
        {
            if (row.GetString("ContactKey") is not { } contactKey || !seen.Add(contactKey))
            {
                continue;
            }

            rows.Add(row);
            if (rows.Count > pageSize)
            {
                break;
            }
        }

        var more = rows.Count > pageSize;
        var page = rows.Take(pageSize).ToList();
        var items = await Task.WhenAll(page.Select(r => ToConversationAsync(r, r.GetString("ContactKey")!, cancellationToken)));
        return (items, more ? page[^1].RowKey : null);
    }

    /// <summary>Erasure: the conversation row and its index rows.</summary>
    public async Task DeleteAsync(string contactKey, CancellationToken cancellationToken)
    {
        _lastWritten.Remove(contactKey);
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
            TableEntity? current;
            if (attempt == 0 && _lastWritten.TryGet(contactKey, out var cached))
            {
                current = Copy(cached);
            }
            else
            {
                _lastWritten.Remove(contactKey);
                var read = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, Row, cancellationToken: cancellationToken);
                current = read.HasValue ? read.Value! : null;
            }

            if (current is null && mustExist)
            {
                return false;
            }

            var row = current ?? new TableEntity(contactKey, Row) { ["Status"] = ConversationStatus.Open, ["Unread"] = 0 };
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
                await _indexWrites.WriteAsync(IndexLane, new TableTransactionAction(TableTransactionActionType.UpsertReplace, IndexRow(indexKey, row)), cancellationToken);
            }

            try
            {
                var written = current is not null
                    ? await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken)
                    : await _table.AddEntityAsync(row, cancellationToken);
                if (written.Headers.ETag is { } etag)
                {
                    row.ETag = etag;
                    _lastWritten.Set(contactKey, Copy(row));
                }
                else
                {
                    _lastWritten.Remove(contactKey);
                }
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412 && attempt < 20)
            {
                // 404: the row this process remembered was deleted meanwhile (erasure); read again.
                _lastWritten.Remove(contactKey);
                continue;
            }

            if (previous is not null)
            {
                await _indexWrites.WriteAsync(IndexLane, new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(IndexPartition, previous), ETag.All), cancellationToken);
            }

            return true;
        }
    }

    private static async Task WriteIndexAsync(StorageClients storage, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var index = storage.Table(StorageNames.ConversationIndexTable);
        if (actions.Count > 1)
        {
            // A stale index row that is already gone fails the transaction with 404; one by one, that delete is done.
            await index.SubmitTransactionAsync(actions, cancellationToken);
            return;
        }

        var action = actions[0];
        if (action.ActionType == TableTransactionActionType.Delete)
        {
            try
            {
                await index.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Already gone: the delete is done.
            }

            return;
        }

        await index.UpsertEntityAsync(action.Entity, TableUpdateMode.Replace, cancellationToken);
    }

    private static TableEntity Copy(TableEntity row) => new(row) { ETag = row.ETag };

    /// <summary>The index row: the conversation's listing columns under its newest-first key.</summary>
    private static TableEntity IndexRow(string indexKey, TableEntity row)
    {
        var index = new TableEntity(IndexPartition, indexKey) { ["ContactKey"] = row.PartitionKey };
        foreach (var column in ListedColumns)
        {
            if (row.TryGetValue(column, out var value) && value is not null)
            {
                index[column] = value;
            }
        }

        return index;
    }

    private async Task<Conversation> ToConversationAsync(TableEntity row, string contactKey, CancellationToken cancellationToken)
    {
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
