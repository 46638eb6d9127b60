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
/// (Azure's "high-volume delete" pattern). Inside it, PartitionKey = a shard (0-f) by four-second slices of that time,
/// so rows noted together are written together in entity-group batches and a day spreads over sixteen partitions, and
/// RowKey = the target's table|PartitionKey|RowKey (escaped), so one target partition's rows sit together. A sweep
/// reads only the day tables before the cutoff, deletes their targets, then drops each whole table in one request: the
/// index costs no delete per row. Only the cutoff day's table is partly due; its due rows are filtered by their own time and deleted row-wise.
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
    private readonly PartitionGroupCommit _commit = new((lane, actions, cancellationToken) =>
        WriteAsync(storage, time, lane.Table, actions, cancellationToken));

    /// <summary>
    /// Records that <paramref name="table"/>'s row becomes due <c>retention</c> after <paramref name="from"/>. Returns once
    /// the index row is stored. Notes that arrive while an earlier one for the same index partition is being written
    /// travel together in the next entity-group transaction (group commit): under load the index costs a fraction of
    /// a round trip per row instead of one.
    /// </summary>
    public Task NoteAsync(string className, string table, string partitionKey, string rowKey, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var entry = Entry(table, partitionKey, rowKey, from);
        return _commit.WriteAsync(
            new PartitionGroupCommit.Lane(TableOf(className, from), entry.PartitionKey),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, entry),
            cancellationToken);
    }

    private static async Task WriteAsync(StorageClients storage, TimeProvider? time, string dayTableName, IReadOnlyList<TableTransactionAction> entries, CancellationToken cancellationToken)
    {
        var dayTable = storage.Table(dayTableName);
        try
        {
            await SubmitAsync(dayTable, entries, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            try
            {
                await dayTable.CreateIfNotExistsAsync(cancellationToken);
            }
            catch (RequestFailedException beingDeleted) when (beingDeleted.Status == 409)
            {
                // A sweep dropped this day (it was wholly past its retention) and Azure still deletes it. Filing the rows
                // under today is safe: a row indexed under a later day is deleted later, never earlier.
                var className = dayTableName[(StorageNames.RetentionIndexTablePrefix.Length + DayFormat.Length)..];
                dayTable = storage.Table(TableOf(className, (time ?? TimeProvider.System).GetUtcNow()));
                await dayTable.CreateIfNotExistsAsync(cancellationToken);
            }

            await SubmitAsync(dayTable, entries, cancellationToken);
        }
    }

    private static async Task SubmitAsync(TableClient dayTable, IReadOnlyList<TableTransactionAction> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 1)
        {
            await dayTable.UpsertEntityAsync(entries[0].Entity, TableUpdateMode.Replace, cancellationToken);
            return;
        }

        // A missing table fails the transaction with 404 (TableTransactionFailedException is a RequestFailedException).
        await dayTable.SubmitTransactionAsync(entries, cancellationToken);
    }

    /// <summary>Records a blob of <paramref name="container"/> the same way (blob names take the RowKey's place).</summary>
    public Task NoteBlobAsync(string className, string container, string blobName, DateTimeOffset from, CancellationToken cancellationToken) =>
        NoteAsync(className, BlobTargetPrefix + container, "", blobName, from, cancellationToken);

    public static TableEntity Entry(string table, string partitionKey, string rowKey, DateTimeOffset from) =>
        new($"{Shard(from):x1}", RowKeyOf(table, partitionKey, rowKey))
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

    // Rows whose retention starts in the same few seconds share a partition, so notes written together batch; a day
    // still spreads over all shards. Derived from the row's own time, so noting a row again files it in the same place.
    private static int Shard(DateTimeOffset from) => (int)(from.UtcTicks / (TimeSpan.TicksPerSecond * 4) % Shards);
}
