using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Retention;

/// <summary>
/// Where a sweep finds what is due without reading what is kept. Every row a store writes under retention gets an index
/// row, written just before it (so a crash leaves at worst an index row pointing at nothing, never a row nobody sweeps):
/// PartitionKey = <c>{class}-{yyyyMMdd of the day retention starts counting}-{shard}</c>, RowKey = the target's
/// table|PartitionKey|RowKey (escaped). A sweep for a class asks for the PartitionKey range below the cutoff day, so it
/// reads only due index rows plus those of the one cutoff day, whatever the tables hold. Rows sorted by RowKey group a
/// target partition's rows together, which lets the sweep delete them in entity-group batches. Sixteen shards spread a
/// day's writes over partitions. Index rows hold opaque keys only (contact keys, keyed hashes), never personal data.
/// </summary>
public sealed class RetentionIndex(StorageClients storage)
{
    public const string BlobTargetPrefix = "$blob:";
    public const int Shards = 16;
    public const string FromColumn = "From";
    public const string TableColumn = "T";
    public const string PartitionColumn = "P";
    public const string RowColumn = "R";

    private readonly TableClient _table = storage.Table(StorageNames.RetentionIndexTable);

    /// <summary>Records that <paramref name="table"/>'s row becomes due <c>retention</c> after <paramref name="from"/>.</summary>
    public Task NoteAsync(string className, string table, string partitionKey, string rowKey, DateTimeOffset from, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(Entry(className, table, partitionKey, rowKey, from), TableUpdateMode.Replace, cancellationToken);

    /// <summary>Records a blob of <paramref name="container"/> the same way (blob names take the RowKey's place).</summary>
    public Task NoteBlobAsync(string className, string container, string blobName, DateTimeOffset from, CancellationToken cancellationToken) =>
        NoteAsync(className, BlobTargetPrefix + container, "", blobName, from, cancellationToken);

    public static TableEntity Entry(string className, string table, string partitionKey, string rowKey, DateTimeOffset from) =>
        new(PartitionOf(className, from, partitionKey), RowKeyOf(table, partitionKey, rowKey))
        {
            [FromColumn] = from.ToUniversalTime(),
            [TableColumn] = table,
            [PartitionColumn] = partitionKey,
            [RowColumn] = rowKey,
        };

    public static string PartitionOf(string className, DateTimeOffset from, string targetPartitionKey) =>
        $"{DayPrefix(className, from)}-{Shard(targetPartitionKey):x1}";

    /// <summary>The PartitionKey prefix of a class's index rows for one day; the sweep's range ends below the next day's.</summary>
    public static string DayPrefix(string className, DateTimeOffset day) =>
        $"{className}-{day.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    private static string RowKeyOf(string table, string partitionKey, string rowKey) =>
        Escape(table) + "|" + Escape(partitionKey) + "|" + Escape(rowKey);

    // Table keys may not hold / \ # ? or control characters; blob names hold '/'. Percent-escaping keeps RowKeys unique.
    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or '|' || char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"%{(int)c:X2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    // FNV-1a: stable across processes and runtimes (string.GetHashCode is randomised per process).
    private static int Shard(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Shards);
    }
}
