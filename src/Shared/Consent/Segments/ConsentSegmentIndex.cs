using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Consent.Segments;

/// <summary>
/// Who has confirmed consent for a purpose, so a campaign's <c>{segment: {consent: "marketing"}}</c> reads the
/// segment instead of scanning every contact. Rows in the Consent table under partitions "segment~{purpose}~{NN}"
/// (spread over <see cref="Shards"/> so writes of many contacts do not meet in one partition), RowKey the contact key,
/// no other data. The ledger keeps it after each append; the head row stays the truth: readers check each member's
/// head again, so an entry left behind by a race or a crash only costs a read.
/// </summary>
public sealed class ConsentSegmentIndex(StorageClients storage)
{
    public const int Shards = 16;

    private TableClient Table => storage.Table(StorageNames.ConsentTable);

    public static string Partition(string purpose, int shard) => $"segment~{purpose}~{shard:D2}";

    public static int ShardOf(string contactKey)
    {
        ArgumentNullException.ThrowIfNull(contactKey);
        var hash = 2166136261u;
        foreach (var c in contactKey)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Shards);
    }

    /// <summary>Puts the contact in the purpose's segment while the head is Confirmed, takes it out otherwise.</summary>
    public async Task ApplyAsync(string contactKey, ConsentHead head, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        var partition = Partition(head.Purpose, ShardOf(contactKey));
        if (head.Status == ConsentStatus.Confirmed)
        {
            await Table.UpsertEntityAsync(new TableEntity(partition, contactKey), TableUpdateMode.Replace, cancellationToken);
            return;
        }

        try
        {
            await Table.DeleteEntityAsync(partition, contactKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>The segment's members (contact keys), shard by shard; candidates only, to be checked against the ledger.</summary>
    public async IAsyncEnumerable<string> MembersAsync(string purpose, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var shard = 0; shard < Shards; shard++)
        {
            var partition = Partition(purpose, shard);
            await foreach (var row in Table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                yield return row.RowKey;
            }
        }
    }
}
