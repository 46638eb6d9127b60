using Azure;
using Azure.Data.Tables;

namespace Messaging.Shared.Outbound;

/// <summary>
/// Outbox index row that lets a status webhook, which knows only the wamid, find its send with one point read:
/// PartitionKey = <c>wamids-</c> + the first <see cref="PartitionHexChars"/> hex characters of the keyed wamid hash,
/// RowKey = the whole hash. It holds only opaque keys. Few, shared partitions, so erasure deletes a contact's index rows
/// in entity-group batches: a page of 1,000 sends lands about 60 rows in each of the 16 partitions, where 256 would
/// leave batches of about 4. Sixteen partitions still take more writes and reads than a storage account does (each
/// partition about 2,000 entities/s), so sends gain nothing from more.
/// Rows of the old layout (<see cref="LegacyPartitionPrefix"/> + hash, row <see cref="LegacyRowKey"/>, one partition
/// per send) are still read and erased until the Outbox retention has swept the last of them.
/// </summary>
public sealed class WamidIndexEntity : ITableEntity
{
    public const string PartitionPrefix = "wamids-";
    public const int PartitionHexChars = 1;

    /// <summary>The old layout's partitions sort in ["wamid-", "wamid."), a range no new-layout partition falls in.</summary>
    public const string LegacyPartitionPrefix = "wamid-";
    public const string LegacyPartitionEnd = "wamid.";
    public const string LegacyRowKey = "index";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ContactKey { get; set; } = "";

    /// <summary>RowKey of the outbox row (= the send's callback id).</summary>
    public string SendKey { get; set; } = "";

    public static (string PartitionKey, string RowKey) KeyOf(string wamidHash) => (PartitionPrefix + wamidHash[..PartitionHexChars], wamidHash);

    public static (string PartitionKey, string RowKey) LegacyKeyOf(string wamidHash) => (LegacyPartitionPrefix + wamidHash, LegacyRowKey);
}
