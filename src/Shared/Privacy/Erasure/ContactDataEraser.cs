using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Inbox;
using Messaging.Shared.Outbound;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Privacy.Erasure;

/// <summary>
/// Deletes a contact's rows store by store, one page (one entity-group batch) per call, so a contact with many
/// messages is erased in steps that each survive a crash. Each call deletes what is still there, so running a page
/// again is harmless. Rows outside the contact's partition are found through what its own rows hold: the wamid index
/// through the outbox rows, inbox rows through the messages' wamids (opened with the data key, which is shredded only
/// after this), aliases through the alias records and the profile.
/// </summary>
public sealed class ContactDataEraser(
    StorageClients storage, ContactDirectory contacts, ContactKeyring keyring, InboxGuard inbox, ContactTombstones tombstones)
{
    public const int PageSize = 100;

    // Every status a message can have had; each was one inbox event ("s:{wamid}:{status}").
    private static readonly string[] Statuses = ["sent", "delivered", "read", "played", "failed", "deleted", "warning"];

    public Task<(int Removed, bool More)> DeletePageAsync(string store, string contactKey, string requestId, CancellationToken cancellationToken) =>
        store switch
        {
            ErasureStores.Outbox => DeleteOutboxPageAsync(contactKey, cancellationToken),
            ErasureStores.Messages => DeleteMessagesPageAsync(contactKey, cancellationToken),
            ErasureStores.Aliases => DeleteAliasesAsync(contactKey, requestId, cancellationToken),
            ErasureStores.Contacts => DeletePartitionPageAsync(storage.Table(StorageNames.ContactsTable), contactKey, cancellationToken),
            ErasureStores.Workflows => DeletePartitionPageAsync(storage.Table(StorageNames.WorkflowsTable), contactKey, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(store), store, "Not a store erasure knows."),
        };

    private async Task<(int, bool)> DeleteOutboxPageAsync(string contactKey, CancellationToken cancellationToken)
    {
        var table = storage.Table(StorageNames.OutboxTable);
        var page = await FirstPageAsync(table, contactKey, ["PartitionKey", "RowKey", nameof(OutboxEntity.WamidHash)], cancellationToken);
        await Parallel.ForEachAsync(
            page.Select(r => r.GetString(nameof(OutboxEntity.WamidHash))).OfType<string>(),
            Parallelism(cancellationToken),
            async (wamidHash, token) => await DeleteIfExistsAsync(table, WamidIndexEntity.PartitionPrefix + wamidHash, WamidIndexEntity.IndexRowKey, token));

        return (await DeleteRowsAsync(table, page, cancellationToken), page.Count == PageSize);
    }

    private async Task<(int, bool)> DeleteMessagesPageAsync(string contactKey, CancellationToken cancellationToken)
    {
        var table = storage.Table(StorageNames.MessagesTable);
        var page = await FirstPageAsync(table, contactKey, ["PartitionKey", "RowKey", "Wamid"], cancellationToken);
        var inboxTable = storage.Table(StorageNames.InboxTable);
        var inboxKeys = new List<string>();
        foreach (var row in page)
        {
            if (await keyring.OpenAsync(contactKey, "wamid", row.GetBinary("Wamid"), cancellationToken) is { } wamid)
            {
                inboxKeys.Add(inbox.KeyOf("m:" + wamid));
                inboxKeys.AddRange(Statuses.Select(status => inbox.KeyOf($"s:{wamid}:{status}")));
            }
        }

        // Each inbox row is its own partition, so no batch can take them: single deletes, several at a time.
        await Parallel.ForEachAsync(inboxKeys, Parallelism(cancellationToken), async (key, token) => await DeleteIfExistsAsync(inboxTable, key, InboxGuard.Row, token));

        return (await DeleteRowsAsync(table, page, cancellationToken), page.Count == PageSize);
    }

    /// <summary>
    /// Every alias that still points at the contact is first suppressed (its keyed hash goes to the suppression list,
    /// so the identifier cannot come back as a new contact), then deleted. An alias that moved to someone else (a
    /// recycled number) is theirs now and left alone.
    /// </summary>
    private async Task<(int, bool)> DeleteAliasesAsync(string contactKey, string requestId, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var alias in await contacts.AliasesOfAsync(contactKey, cancellationToken))
        {
            if (await contacts.LookupAliasAsync(alias, cancellationToken) != contactKey)
            {
                continue;
            }

            await tombstones.SuppressAliasAsync(alias, requestId, cancellationToken);
            if (await contacts.DeleteAliasAsync(alias, contactKey, cancellationToken))
            {
                removed++;
            }
        }

        return (removed, false);
    }

    private static ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };

    private static async Task<(int, bool)> DeletePartitionPageAsync(TableClient table, string contactKey, CancellationToken cancellationToken)
    {
        var page = await FirstPageAsync(table, contactKey, ["PartitionKey", "RowKey"], cancellationToken);
        return (await DeleteRowsAsync(table, page, cancellationToken), page.Count == PageSize);
    }

    private static async Task<List<TableEntity>> FirstPageAsync(TableClient table, string partitionKey, string[] select, CancellationToken cancellationToken)
    {
        await foreach (var page in table.QueryAsync<TableEntity>(e => e.PartitionKey == partitionKey, maxPerPage: PageSize, select: select, cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count > 0)
            {
                return [.. page.Values];
            }
        }

        return [];
    }

    private static async Task<int> DeleteRowsAsync(TableClient table, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        try
        {
            await table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
            return rows.Count;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // A row went meanwhile (a repeated page, a driver purging its own row): delete the rest one by one.
            var removed = 0;
            foreach (var row in rows)
            {
                removed += await DeleteIfExistsAsync(table, row.PartitionKey, row.RowKey, cancellationToken) ? 1 : 0;
            }

            return removed;
        }
    }

    private static async Task<bool> DeleteIfExistsAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }
}
