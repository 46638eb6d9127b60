using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Retention;

/// <summary>
/// Where a sweep finds what is due without reading what is kept. Every row a store writes under retention gets an index
/// row, written just before it (so a crash leaves at worst an index row pointing at nothing, never a row nobody sweeps),
/// in a table of its own per class and day retention starts counting: <c>RetentionIndex{yyyyMMdd}{Class}</c>
/// (Azure's "high-volume delete" pattern). Inside it, PartitionKey = a shard (0-f) of the target's PartitionKey, so a
/// day's writes spread over sixteen partitions, and RowKey = the target's table|PartitionKey|RowKey (escaped), so one
/// target partition's rows sit together and are deleted in entity-group batches. A sweep reads only the day tables
/// before the cutoff, deletes their targets, then drops each whole table in one request: the index costs no delete per
/// row. Only the cutoff day's table is partly due; its due rows are filtered by their own time and deleted row-wise.
/// Index rows hold opaque keys only (contact keys, keyed hashes), never personal data.
/// </summary>
public sealed class RetentionIndex(StorageClients storage, TimeProvider? time = null)
{
    public const string BlobTargetPrefix = "$blob:";
    public const int Shards = 16;
    public const string FromColumn = "From";
    public const string TableColumn = "T";
    public const string PartitionColumn = "P";
    public const string RowColumn = "R";
    private const string DayFormat = "yyyyMMdd";

    /// <summary>Records that <paramref name="table"/>'s row becomes due <c>retention</c> after <paramref name="from"/>.</summary>
    public async Task NoteAsync(string className, string table, string partitionKey, string rowKey, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var entry = Entry(table, partitionKey, rowKey, from);
        var dayTable = storage.Table(TableOf(className, from));
        try
        {
            await dayTable.UpsertEntityAsync(entry, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            try
            {
                await dayTable.CreateIfNotExistsAsync(cancellationToken);
            }
            catch (RequestFailedException beingDeleted) when (beingDeleted.Status == 409)
            {
                // A sweep dropped this day (it was wholly past its retention) and Azure still deletes it. Filing the row
                // under today is safe: a row indexed under a later day is deleted later, never earlier.
                dayTable = storage.Table(TableOf(className, (time ?? TimeProvider.System).GetUtcNow()));
                await dayTable.CreateIfNotExistsAsync(cancellationToken);
            }

            await dayTable.UpsertEntityAsync(entry, TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>Records a blob of <paramref name="container"/> the same way (blob names take the RowKey's place).</summary>
    public Task NoteBlobAsync(string className, string container, string blobName, DateTimeOffset from, CancellationToken cancellationToken) =>
        NoteAsync(className, BlobTargetPrefix + container, "", blobName, from, cancellationToken);

    public static TableEntity Entry(string table, string partitionKey, string rowKey, DateTimeOffset from) =>
        new($"{Shard(partitionKey):x1}", RowKeyOf(table, partitionKey, rowKey))
        {
            [FromColumn] = from.ToUniversalTime(),
            [TableColumn] = table,
            [PartitionColumn] = partitionKey,
            [RowColumn] = rowKey,
        };

    /// <summary>The index table of <paramref name="className"/> for the day of <paramref name="from"/> (unprefixed).</summary>
    public static string TableOf(string className, DateTimeOffset from) =>
        StorageNames.RetentionIndexTablePrefix + from.UtcDateTime.ToString(DayFormat, CultureInfo.InvariantCulture) + className;

    /// <summary>A class's index tables, oldest day first, with their day.</summary>
    public async Task<IReadOnlyList<(string Table, DateOnly Day)>> DayTablesAsync(string className, CancellationToken cancellationToken) =>
        DayTablesOf(await AllDayTablesAsync(cancellationToken), className);

    /// <summary>Every class's index tables in one listing (a sweep lists once, then picks per class).</summary>
    public Task<IReadOnlyList<string>> AllDayTablesAsync(CancellationToken cancellationToken) =>
        storage.ListTablesAsync(StorageNames.RetentionIndexTablePrefix, cancellationToken);

    public static IReadOnlyList<(string Table, DateOnly Day)> DayTablesOf(IReadOnlyList<string> tables, string className)
    {
        var prefix = StorageNames.RetentionIndexTablePrefix.Length;
        return tables
            .Where(t => t.Length == prefix + DayFormat.Length + className.Length && t.EndsWith(className, StringComparison.Ordinal))
            .Select(t => (Table: t, Ok: DateOnly.TryParseExact(t.AsSpan(prefix, DayFormat.Length), DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day), Day: day))
            .Where(t => t.Ok)
            .OrderBy(t => t.Day)
            .Select(t => (t.Table, t.Day))
            .ToList();
    }

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
