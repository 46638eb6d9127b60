using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Contacts;
using Messaging.Shared.Conversations;
using Messaging.Shared.Inbox;
using Messaging.Shared.Messages;
using Messaging.Shared.Outbound;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Privacy.Erasure;

/// <summary>
/// Deletes a contact's rows store by store, one page (up to <see cref="PageSize"/> rows) per call, so a contact with many
/// messages is erased in steps that each survive a crash. Each call deletes what is still there, so running a page
/// again is harmless. Rows outside the contact's partition are found through what its own rows hold: the wamid index
/// and the unknown-send index through the outbox rows, old-layout inbox rows through the messages' wamids (opened with
/// the data key, which is shredded only after this), aliases through the alias records and the profile, webhook copies
/// through the aliases' hashes (<see cref="WebhookCopyIndex"/>).
/// </summary>
public sealed class ContactDataEraser(
    StorageClients storage, ContactDirectory contacts, ContactKeyring keyring, InboxGuard inbox, ContactTombstones tombstones, WebhookCopyIndex copies)
{
    /// <summary>
    /// Rows one step deletes: a query page (the table service returns at most 1,000 rows a page), deleted as entity-group
    /// batches of <see cref="BatchSize"/> side by side. Fewer, larger steps: every step is a driver round trip (a queue
    /// hop on LocalHost, an activity in Azure) and an audit entry, which at 100 rows a step cost more than the deletes.
    /// </summary>
    public const int PageSize = 1000;

    /// <summary>An entity-group transaction holds at most 100 operations.</summary>
    public const int BatchSize = 100;

    // Every status a message can have had; each was one old-layout inbox event ("s:{wamid}:{status}").
    private static readonly string[] Statuses = ["sent", "delivered", "read", "played", "failed", "deleted", "warning"];

    public Task<(int Removed, bool More)> DeletePageAsync(string store, string contactKey, string requestId, CancellationToken cancellationToken) =>
        store switch
        {
            ErasureStores.Outbox => DeleteOutboxPageAsync(contactKey, cancellationToken),
            ErasureStores.Messages => DeleteMessagesPageAsync(contactKey, cancellationToken),
            ErasureStores.WebhookCopies => DeleteWebhookCopiesAsync(contactKey, cancellationToken),
            ErasureStores.CampaignRecipients => AnonymiseCampaignRecipientsAsync(contactKey, requestId, cancellationToken),
            ErasureStores.Conversations => DeleteConversationAsync(contactKey, cancellationToken),
            ErasureStores.EventOutbox => DeleteEventsAsync(contactKey, cancellationToken),
            ErasureStores.Aliases => DeleteAliasesAsync(contactKey, requestId, cancellationToken),
            ErasureStores.Contacts => DeletePartitionPageAsync(storage.Table(StorageNames.ContactsTable), contactKey, cancellationToken),
            ErasureStores.Workflows => DeletePartitionPageAsync(storage.Table(StorageNames.WorkflowsTable), contactKey, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(store), store, "Not a store erasure knows."),
        };

    /// <summary>
    /// A page of the contact's outbox rows with what they index: their wamid index rows in entity-group batches by
    /// index partition (<see cref="WamidIndexEntity"/>), and unknown-send entries. The index goes first: the outbox rows
    /// are how it is found. While the table holds any old-layout index row (one partition per send), each send's old
    /// key is deleted first, one by one, and only the sends that had none go to the batches: a send has one index row
    /// in one layout, so the batches then hold rows that exist instead of failing on the old sends' missing ones.
    /// </summary>
    private async Task<(int, bool)> DeleteOutboxPageAsync(string contactKey, CancellationToken cancellationToken)
    {
        var table = storage.Table(StorageNames.OutboxTable);
        var page = await FirstPageAsync(table, contactKey, ["PartitionKey", "RowKey", nameof(OutboxEntity.WamidHash), nameof(OutboxEntity.State)], cancellationToken);
        var hashes = page.Select(r => r.GetString(nameof(OutboxEntity.WamidHash))).OfType<string>().ToList();
        var removed = 0;
        if (hashes.Count > 0 && await AnyLegacyWamidIndexAsync(table, cancellationToken))
        {
            var current = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Parallel.ForEachAsync(hashes, Parallelism(cancellationToken), async (hash, token) =>
            {
                var (partitionKey, rowKey) = WamidIndexEntity.LegacyKeyOf(hash);
                if (await DeleteIfExistsAsync(table, partitionKey, rowKey, token))
                {
                    Interlocked.Increment(ref removed);
                }
                else
                {
                    current.Add(hash);
                }
            });
            hashes = [.. current];
        }

        removed += await DeleteRowsAsync(table, [.. hashes.Select(WamidIndexEntity.KeyOf).Select(k => new TableEntity(k.PartitionKey, k.RowKey))], cancellationToken);
        // A send that ever was Unknown or Attempting (a sender may have died mid-attempt) can have an unknown-index entry.
        var unknown = page.Where(r => r.GetString(nameof(OutboxEntity.State)) is not nameof(OutboxState.Sent)).Select(r => OutboxStore.UnknownIndexKey(contactKey, r.RowKey));
        await Parallel.ForEachAsync(unknown, Parallelism(cancellationToken), async (key, token) =>
        {
            if (await DeleteIfExistsAsync(table, key.PartitionKey, key.RowKey, token))
            {
                Interlocked.Increment(ref removed);
            }
        });

        return (await DeleteRowsAsync(table, page, cancellationToken) + removed, page.Count == PageSize);
    }

    /// <summary>Whether any old-layout wamid index row is left: one range query that reads at most one row.</summary>
    private static async Task<bool> AnyLegacyWamidIndexAsync(TableClient table, CancellationToken cancellationToken)
    {
        await foreach (var _ in table.QueryAsync<TableEntity>(
            e => e.PartitionKey.CompareTo(WamidIndexEntity.LegacyPartitionPrefix) >= 0 && e.PartitionKey.CompareTo(WamidIndexEntity.LegacyPartitionEnd) < 0,
            maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            return true;
        }

        return false;
    }

    private async Task<(int, bool)> DeleteWebhookCopiesAsync(string contactKey, CancellationToken cancellationToken)
    {
        var removed = 0;
        var more = false;
        foreach (var alias in await contacts.AliasesOfAsync(contactKey, cancellationToken))
        {
            // An identifier that moved to someone else (a recycled number) names them now; its copies are theirs.
            if (await contacts.LookupAliasAsync(alias, cancellationToken) is { } owner && owner != contactKey)
            {
                continue;
            }

            var (page, full) = await copies.DeletePageAsync(alias, cancellationToken);
            removed += page;
            more |= full;
        }

        return (removed, more);
    }

    /// <summary>
    /// A campaign's audience rows are keyed by contact key in the campaign's page partitions. Each of the contact's rows
    /// is swapped, in one entity-group transaction, for an anonymous row with the same outcome (a pending one counts as
    /// skipped, "erased"), so the campaign's counts stay and nothing is sent to it. The rows are found by a query on the
    /// row key, a scan of the audience table: erasures are rare, and no write on the campaign path pays for an index.
    /// </summary>
    private async Task<(int, bool)> AnonymiseCampaignRecipientsAsync(string contactKey, string requestId, CancellationToken cancellationToken)
    {
        var table = storage.Table(StorageNames.CampaignRecipientsTable);
        var removed = 0;
        await foreach (var row in table.QueryAsync<CampaignRecipientEntity>(e => e.RowKey == contactKey, cancellationToken: cancellationToken))
        {
            var pending = row.State == nameof(RecipientState.Pending);
            var anonymous = new CampaignRecipientEntity
            {
                PartitionKey = row.PartitionKey,
                RowKey = "erased-" + requestId,
                State = pending ? nameof(RecipientState.Skipped) : row.State,
                Outcome = pending ? "erased" : row.Outcome,
                Generation = row.Generation,
            };
            try
            {
                await table.SubmitTransactionAsync(
                    [new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All), new TableTransactionAction(TableTransactionActionType.UpsertReplace, anonymous)],
                    cancellationToken);
                removed++;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Swapped meanwhile by a repeated run.
            }
        }

        return (removed, false);
    }

    private async Task<(int, bool)> DeleteConversationAsync(string contactKey, CancellationToken cancellationToken)
    {
        var table = storage.Table(StorageNames.ConversationsTable);
        var index = storage.Table(StorageNames.ConversationIndexTable);
        var rows = await FirstPageAsync(table, contactKey, ["PartitionKey", "RowKey", "IndexKey", "PreviousIndexKey"], cancellationToken);
        var removed = 0;
        foreach (var indexKey in rows.SelectMany(r => new[] { r.GetString("IndexKey"), r.GetString("PreviousIndexKey") }).OfType<string>().Distinct())
        {
            removed += await DeleteIfExistsAsync(index, ConversationStore.IndexPartition, indexKey, cancellationToken) ? 1 : 0;
        }

        return (removed + await DeleteRowsAsync(table, rows, cancellationToken), rows.Count == PageSize);
    }

    /// <summary>The contact's event outbox partition, and events parked for an operator (row key "{contactKey}-{event row}" under each subscription).</summary>
    private async Task<(int, bool)> DeleteEventsAsync(string contactKey, CancellationToken cancellationToken)
    {
        var (removed, more) = await DeletePartitionPageAsync(storage.Table(StorageNames.EventOutboxTable), contactKey, cancellationToken);
        if (more)
        {
            return (removed, true);
        }

        var parked = storage.Table(StorageNames.ParkedEventsTable);
        var from = contactKey + "-";
        var to = contactKey + ".";
        await foreach (var row in parked.QueryAsync<TableEntity>(e => e.RowKey.CompareTo(from) >= 0 && e.RowKey.CompareTo(to) < 0, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            removed += await DeleteIfExistsAsync(parked, row.PartitionKey, row.RowKey, cancellationToken) ? 1 : 0;
        }

        return (removed, false);
    }

    /// <summary>
    /// The message rows go in entity-group batches: they are the contact's partition and carry their own
    /// de-duplication (an inbound message's row is its event, a sent one's row lists the statuses it has seen), so
    /// nothing outside the partition was written per message. Only the old layout did: one Inbox row per event, each its
    /// own partition, keyed by the event's wamid. While the Inbox table holds any row at all (it is written by nothing
    /// now, and its retention sweep empties it within <c>Retention:Inbox</c>), a page also deletes those, found through
    /// the sealed wamids; otherwise the check costs one empty query a page. The partition is read in the contact's shard
    /// and in the legacy Messages table side by side (<see cref="MessageTables"/>), a page from each.
    /// </summary>
    private async Task<(int, bool)> DeleteMessagesPageAsync(string contactKey, CancellationToken cancellationToken)
    {
        var inboxTable = storage.Table(StorageNames.InboxTable);
        var legacyInbox = await AnyRowAsync(inboxTable, cancellationToken);
        string[] columns = legacyInbox ? ["PartitionKey", "RowKey", "Wamid", "Direction", "Seen"] : ["PartitionKey", "RowKey"];
        var tables = MessageTables.OfContact(contactKey).Select(storage.Table).ToList();
        var pages = await Task.WhenAll(tables.Select(table => FirstPageAsync(table, contactKey, columns, cancellationToken)));
        if (legacyInbox)
        {
            await DeleteLegacyInboxRowsAsync(inboxTable, contactKey, [.. pages.SelectMany(page => page)], cancellationToken);
        }

        var removed = await Task.WhenAll(tables.Zip(pages, (table, page) => DeleteRowsAsync(table, page, cancellationToken)));
        return (removed.Sum(), pages.Any(page => page.Count == PageSize));
    }

    private async Task DeleteLegacyInboxRowsAsync(TableClient inboxTable, string contactKey, List<TableEntity> page, CancellationToken cancellationToken)
    {
        var inboxKeys = new List<string>();
        foreach (var row in page)
        {
            if (await keyring.OpenAsync(contactKey, "wamid", row.GetBinary("Wamid"), cancellationToken) is { } wamid)
            {
                inboxKeys.AddRange(InboxEventsOf(wamid, row.GetString("Direction"), row.GetString("Seen")).Select(inbox.KeyOf));
            }
        }

        // Each old inbox row is its own partition, so no batch can take them: single deletes, several at a time.
        await Parallel.ForEachAsync(inboxKeys, Parallelism(cancellationToken), async (key, token) => await DeleteIfExistsAsync(inboxTable, key, InboxGuard.Row, token));
    }

    private static async Task<bool> AnyRowAsync(TableClient table, CancellationToken cancellationToken)
    {
        await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            return true;
        }

        return false;
    }

    /// <summary>
    /// The old-layout inbox events a message row can have had: an inbound message its own ("m:"), a sent one a status
    /// event per status its row lists as seen ("s:"). Only a row that says neither (older rows) tries them all.
    /// </summary>
    private static IEnumerable<string> InboxEventsOf(string wamid, string? direction, string? seen) => direction switch
    {
        "in" => ["m:" + wamid],
        "out" when seen is not null => seen.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(status => $"s:{wamid}:{status}"),
        _ => Statuses.Select(status => $"s:{wamid}:{status}").Prepend("m:" + wamid),
    };

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

    /// <summary>Deletes the rows as entity-group batches of up to <see cref="BatchSize"/> per partition, side by side.</summary>
    private static async Task<int> DeleteRowsAsync(TableClient table, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        var removed = 0;
        var batches = rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal).SelectMany(g => g.Chunk(BatchSize));
        await Parallel.ForEachAsync(batches, Parallelism(cancellationToken), async (batch, token) =>
        {
            Interlocked.Add(ref removed, await DeleteBatchAsync(table, [.. batch], token));
        });
        return removed;
    }

    /// <summary>
    /// A row gone meanwhile (a repeated page, a driver purging its own row, an index row never written) fails the whole
    /// transaction: it is dropped and the rest tried again, a few times; then the rest goes one by one.
    /// </summary>
    private static async Task<int> DeleteBatchAsync(TableClient table, List<TableEntity> batch, CancellationToken cancellationToken)
    {
        for (var retries = 0; batch.Count > 0 && retries < 3; retries++)
        {
            try
            {
                await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
                return batch.Count;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex is { } failed && failed < batch.Count)
            {
                batch.RemoveAt(failed);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                break;
            }
        }

        var removed = 0;
        foreach (var row in batch)
        {
            removed += await DeleteIfExistsAsync(table, row.PartitionKey, row.RowKey, cancellationToken) ? 1 : 0;
        }

        return removed;
    }

    /// <summary>True when the row was there. The SDK reports a missing row as a 404 response, not an exception.</summary>
    private static async Task<bool> DeleteIfExistsAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            return (await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken)).Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }
}
