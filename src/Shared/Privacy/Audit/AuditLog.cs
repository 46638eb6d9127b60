using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Privacy.Audit;

/// <summary>
/// The tamper-evident audit log: <see cref="Shards"/> chains in the Audit table (partitions "chain-0".."chain-7"), each
/// entry holding the hash of the previous one in its chain. An entry's chain follows from its contact key (else its
/// entry id), so one contact's entries are one chain, in order, and writers for different contacts do not contend for
/// one partition's head (one chain let every consent change in the system queue behind every other). The hash is keyed
/// (HMAC with the pepper) and covers the chain's number, so someone with write access to the storage account alone cannot
/// rewrite a row, move it to another chain, and recompute the links after it. Appends are idempotent by entry id: the
/// id row and the entry are added in one entity-group transaction, and the newest entry sorts first (inverted
/// sequence) so an append reads one row. Verification walks every chain.
/// </summary>
public sealed class AuditLog(StorageClients storage, KeyedHasher hasher, TimeProvider time)
{
    public const int Shards = 8;
    private const string ChainPrefix = "chain-";
    private const string EntryPrefix = "e:";
    private const string IdPrefix = "id:";
    private const string Genesis = "genesis";
    private readonly TableClient _table = storage.Table(StorageNames.AuditTable);

    /// <param name="entryId">Stable per real-world step (e.g. an effect id), so a repeated step appends once.</param>
    /// <returns>False when an entry with this id exists.</returns>
    public async Task<bool> AppendAsync(
        string entryId, string? contactKey, string? requestId, string action, string counts, CancellationToken cancellationToken)
    {
        var idRow = IdPrefix + hasher.Hash("audit-entry", entryId);
        var shard = ShardOf(contactKey ?? "entry:" + entryId);
        var chain = Chain(shard);
        for (var attempt = 0; ; attempt++)
        {
            var last = await LatestAsync(chain, cancellationToken);
            var sequence = (last?.Sequence ?? 0) + 1;
            var previous = last?.Hash ?? Genesis;
            // Whole seconds: what every table service round-trips exactly, so the hash recomputes from the stored row.
            var now = time.GetUtcNow();
            var at = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            var hash = HashOf(shard, sequence, at, contactKey, requestId, action, counts, previous);
            var entry = new TableEntity(chain, EntryRow(sequence))
            {
                ["Sequence"] = sequence,
                ["At"] = at,
                ["ContactKey"] = contactKey,
                ["RequestId"] = requestId,
                ["Action"] = action,
                ["Counts"] = counts,
                ["PreviousHash"] = previous,
                ["Hash"] = hash,
            };
            try
            {
                await _table.SubmitTransactionAsync(
                    [
                        new(TableTransactionActionType.Add, new TableEntity(chain, idRow) { ["Sequence"] = sequence }),
                        new(TableTransactionActionType.Add, entry),
                    ],
                    cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                if (e.FailedTransactionActionIndex == 0)
                {
                    return false;
                }

                if (attempt >= 20)
                {
                    throw;
                }

                // Another writer took this sequence number; link to theirs.
            }
        }
    }

    /// <summary>Walks every chain; the first link that does not hold is named by its chain and sequence.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        (int Shard, long Sequence)? firstBroken = null;
        for (var shard = 0; shard < Shards; shard++)
        {
            var entries = await EntriesAsync(Chain(shard), cancellationToken);
            total += entries.Count;
            if (firstBroken is null && BrokenAt(shard, entries) is { } sequence)
            {
                firstBroken = (shard, sequence);
            }
        }

        return new AuditVerification(total, firstBroken is null, firstBroken?.Sequence, firstBroken?.Shard);
    }

    /// <summary>A contact's entries: all in one chain, in order.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ForContactAsync(string contactKey, CancellationToken cancellationToken) =>
        [.. (await EntriesAsync(Chain(ShardOf(contactKey)), cancellationToken)).Where(e => e.ContactKey == contactKey)];

    public static string Chain(int shard) => ChainPrefix + shard.ToString(CultureInfo.InvariantCulture);

    /// <summary>The chain an entry about <paramref name="subject"/> (a contact key, else "entry:{id}") is appended to.</summary>
    public int ShardOf(string subject) => Convert.ToInt32(hasher.Hash("audit-shard", subject)[..2], 16) % Shards;

    private long? BrokenAt(int shard, List<AuditEntry> entries)
    {
        var previous = Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var expected = HashOf(shard, e.Sequence, e.At, e.ContactKey, e.RequestId, e.Action, e.Counts, previous);
            if (e.Sequence != i + 1 || e.PreviousHash != previous || !SecretComparison.Matches(e.Hash, expected))
            {
                return i + 1;
            }

            previous = e.Hash;
        }

        return null;
    }

    private async Task<List<AuditEntry>> EntriesAsync(string chain, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == chain && e.RowKey.CompareTo(EntryPrefix) >= 0 && e.RowKey.CompareTo("e;") < 0, cancellationToken: cancellationToken))
        {
            entries.Add(ToEntry(row));
        }

        entries.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return entries;
    }

    private async Task<AuditEntry?> LatestAsync(string chain, CancellationToken cancellationToken)
    {
        await foreach (var row in _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == chain && e.RowKey.CompareTo(EntryPrefix) >= 0 && e.RowKey.CompareTo("e;") < 0, maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return ToEntry(row);
        }

        return null;
    }

    private static string EntryRow(long sequence) => EntryPrefix + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);

    private string HashOf(int shard, long sequence, DateTimeOffset at, string? contactKey, string? requestId, string action, string counts, string previous) =>
        hasher.Hash("audit-chain", string.Join('\n', Chain(shard), sequence.ToString(CultureInfo.InvariantCulture), at.UtcTicks.ToString(CultureInfo.InvariantCulture), contactKey ?? "", requestId ?? "", action, counts, previous));

    private static AuditEntry ToEntry(TableEntity row) => new(
        row.GetInt64("Sequence") ?? 0,
        row.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        row.GetString("ContactKey"),
        row.GetString("RequestId"),
        row.GetString("Action") ?? "",
        row.GetString("Counts") ?? "",
        row.GetString("PreviousHash") ?? "",
        row.GetString("Hash") ?? "");
}
