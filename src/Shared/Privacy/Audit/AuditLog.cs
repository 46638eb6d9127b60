using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Privacy.Audit;

/// <summary>
/// The tamper-evident audit log: one chain in the Audit table, each entry holding the hash of the previous one. The
/// hash is keyed (HMAC with the pepper), so someone with write access to the storage account alone cannot rewrite a
/// row and recompute the chain after it. Appends are idempotent by entry id: the id row and the entry are added in one
/// entity-group transaction, and the newest entry sorts first (inverted sequence) so an append reads one row.
/// </summary>
public sealed class AuditLog(StorageClients storage, KeyedHasher hasher, TimeProvider time)
{
    private const string Chain = "chain";
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
        for (var attempt = 0; ; attempt++)
        {
            var last = await LatestAsync(cancellationToken);
            var sequence = (last?.Sequence ?? 0) + 1;
            var previous = last?.Hash ?? Genesis;
            // Whole seconds: what every table service round-trips exactly, so the hash recomputes from the stored row.
            var now = time.GetUtcNow();
            var at = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            var hash = HashOf(sequence, at, contactKey, requestId, action, counts, previous);
            var entry = new TableEntity(Chain, EntryRow(sequence))
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
                        new(TableTransactionActionType.Add, new TableEntity(Chain, idRow) { ["Sequence"] = sequence }),
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

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == Chain && e.RowKey.CompareTo(EntryPrefix) >= 0 && e.RowKey.CompareTo("e;") < 0, cancellationToken: cancellationToken))
        {
            entries.Add(ToEntry(row));
        }

        entries.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        var previous = Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var expected = HashOf(e.Sequence, e.At, e.ContactKey, e.RequestId, e.Action, e.Counts, previous);
            if (e.Sequence != i + 1 || e.PreviousHash != previous || !SecretComparison.Matches(e.Hash, expected))
            {
                return new AuditVerification(entries.Count, false, i + 1);
            }

            previous = e.Hash;
        }

        return new AuditVerification(entries.Count, true, null);
    }

    public async Task<IReadOnlyList<AuditEntry>> ForContactAsync(string contactKey, CancellationToken cancellationToken)
    {
        var found = new List<AuditEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Chain && e.RowKey.CompareTo(EntryPrefix) >= 0 && e.RowKey.CompareTo("e;") < 0, cancellationToken: cancellationToken))
        {
            if (row.GetString("ContactKey") == contactKey)
            {
                found.Add(ToEntry(row));
            }
        }

        return [.. found.OrderBy(e => e.Sequence)];
    }

    private async Task<AuditEntry?> LatestAsync(CancellationToken cancellationToken)
    {
        await foreach (var row in _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == Chain && e.RowKey.CompareTo(EntryPrefix) >= 0 && e.RowKey.CompareTo("e;") < 0, maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return ToEntry(row);
        }

        return null;
    }

    private static string EntryRow(long sequence) => EntryPrefix + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);

    private string HashOf(long sequence, DateTimeOffset at, string? contactKey, string? requestId, string action, string counts, string previous) =>
        hasher.Hash("audit-chain", string.Join('\n', sequence.ToString(CultureInfo.InvariantCulture), at.UtcTicks.ToString(CultureInfo.InvariantCulture), contactKey ?? "", requestId ?? "", action, counts, previous));

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
