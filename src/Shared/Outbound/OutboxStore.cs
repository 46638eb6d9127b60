using System.Net;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Retention;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Outbound;

/// <summary>Table access for the Outbox: conditional writes only, so concurrent senders cannot both win.</summary>
public sealed class OutboxStore(StorageClients storage, KeyedHasher hasher, MasterKey masterKey, RetentionIndex? retention = null)
{
    public const string SendIdHashPurpose = "outbox-send";

    /// <summary>Purpose under which wamids are hashed; a status-webhook processor uses the same to find sends.</summary>
    public const string WamidHashPurpose = "wamid";

    /// <summary>Partition of the index of sends whose outcome is unknown (contact partitions are 32 hex characters).</summary>
    public const string UnknownIndexPartition = "unknown";

    private TableClient Table => storage.Table(StorageNames.OutboxTable);

    public string SendKey(string sendId) => hasher.Hash(SendIdHashPurpose, sendId);

    public string WamidHash(string wamid) => hasher.Hash(WamidHashPurpose, wamid);

    /// <summary>Inserts the row; false when a row for this send already exists.</summary>
    public async Task<bool> TryInsertAsync(OutboxEntity entity, CancellationToken cancellationToken)
    {
        await NoteRetentionAsync(entity.PartitionKey, entity.RowKey, entity.CreatedAt, cancellationToken);
        try
        {
            var response = await Table.AddEntityAsync(entity, cancellationToken);
            entity.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<OutboxEntity?> GetAsync(string contactKey, string sendKey, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<OutboxEntity>(contactKey, sendKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Replaces the row if nobody changed it since it was read; false when someone did (or it is gone).</summary>
    public async Task<bool> TryReplaceAsync(OutboxEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            entity.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Records the final outcome of an attempt we own. Unconditional on the ETag: the only other writer of an
    /// Attempting row is the stale-attempt check, which writes Unknown, and our outcome is better knowledge than that.
    /// Still an update, not an upsert, so a row deleted by erasure in the meantime is not recreated.
    /// </summary>
    public async Task<bool> TryCompleteAsync(OutboxEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Replace, cancellationToken);
            entity.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public void SealWamid(OutboxEntity entity, string wamid)
    {
        entity.WamidHash = WamidHash(wamid);
        entity.WamidSealed = masterKey.Seal(Encoding.UTF8.GetBytes(wamid), WamidAssociatedData(entity));
    }

    /// <summary>The wamid of a Sent row, for support cases with Meta. Never log the result.</summary>
    public string? OpenWamid(OutboxEntity entity) =>
        entity.WamidSealed is null ? null : Encoding.UTF8.GetString(masterKey.Open(entity.WamidSealed, WamidAssociatedData(entity)));

    public async Task UpsertWamidIndexAsync(string wamidHash, string contactKey, string sendKey, CancellationToken cancellationToken)
    {
        var (partitionKey, rowKey) = WamidIndexEntity.KeyOf(wamidHash);
        var index = new WamidIndexEntity { PartitionKey = partitionKey, RowKey = rowKey, ContactKey = contactKey, SendKey = sendKey };
        await NoteRetentionAsync(index.PartitionKey, index.RowKey, DateTimeOffset.UtcNow, cancellationToken);
        await Table.UpsertEntityAsync(index, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// The outbox row a status webhook's wamid belongs to, or null when it was not sent through the outbox. A miss in
    /// the current layout reads the old one too: one more point read, paid only by sends indexed before the change
    /// (until retention sweeps them) and by wamids the outbox never sent.
    /// </summary>
    public async Task<OutboxEntity?> FindByWamidAsync(string wamid, CancellationToken cancellationToken)
    {
        var hash = WamidHash(wamid);
        var (partitionKey, rowKey) = WamidIndexEntity.KeyOf(hash);
        var index = await Table.GetEntityIfExistsAsync<WamidIndexEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        if (!index.HasValue)
        {
            (partitionKey, rowKey) = WamidIndexEntity.LegacyKeyOf(hash);
            index = await Table.GetEntityIfExistsAsync<WamidIndexEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        }

        return index.HasValue ? await GetAsync(index.Value!.ContactKey, index.Value.SendKey, cancellationToken) : null;
    }

    /// <summary>
    /// Marks a send as unknown for the operator's list: a row in partition <see cref="UnknownIndexPartition"/>, written
    /// before the send's own row says Unknown. It holds only opaque keys; erasing a contact deletes its entries too.
    /// </summary>
    public Task UpsertUnknownIndexAsync(string contactKey, string sendKey, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new TableEntity(UnknownIndexPartition, UnknownIndexRow(contactKey, sendKey)) { ["ContactKey"] = contactKey, ["SendKey"] = sendKey },
            TableUpdateMode.Replace,
            cancellationToken);

    public Task DeleteUnknownIndexAsync(string contactKey, string sendKey, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(UnknownIndexPartition, UnknownIndexRow(contactKey, sendKey), ETag.All, cancellationToken);

    /// <summary>
    /// The rows the unknown-index names, oldest entries first as the table orders them. Entries whose row is gone
    /// (erased) or no longer Unknown (a late outcome, an operator's resolution) are removed on the way.
    /// </summary>
    public async Task<IReadOnlyList<OutboxEntity>> ListUnknownAsync(int max, CancellationToken cancellationToken)
    {
        var rows = new List<OutboxEntity>();
        await foreach (var entry in Table.QueryAsync<TableEntity>(e => e.PartitionKey == UnknownIndexPartition, maxPerPage: 200, cancellationToken: cancellationToken))
        {
            var contactKey = entry.GetString("ContactKey") ?? "";
            var sendKey = entry.GetString("SendKey") ?? "";
            var row = contactKey.Length == 0 ? null : await GetAsync(contactKey, sendKey, cancellationToken);
            if (row is null || row.ParsedState != OutboxState.Unknown)
            {
                await Table.DeleteEntityAsync(UnknownIndexPartition, entry.RowKey, ETag.All, cancellationToken);
                continue;
            }

            rows.Add(row);
            if (rows.Count >= max)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>Where a send's unknown-index entry lives (erasure deletes it with the send).</summary>
    public static (string PartitionKey, string RowKey) UnknownIndexKey(string contactKey, string sendKey) => (UnknownIndexPartition, UnknownIndexRow(contactKey, sendKey));

    private static string UnknownIndexRow(string contactKey, string sendKey) => contactKey + "-" + sendKey;
    private Task NoteRetentionAsync(string partitionKey, string rowKey, DateTimeOffset from, CancellationToken cancellationToken) =>
        retention?.NoteAsync(RetentionClasses.Outbox, StorageNames.OutboxTable, partitionKey, rowKey, from, cancellationToken) ?? Task.CompletedTask;

    // Binds the sealed wamid to its row, so a ciphertext copied into another contact's row does not open.
    private static string WamidAssociatedData(OutboxEntity entity) => $"outbox-wamid\n{entity.PartitionKey}\n{entity.RowKey}";
}
