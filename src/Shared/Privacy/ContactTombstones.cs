using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Privacy;

/// <summary>
/// The Suppression table: tombstones of erased contacts (under the contact key) and suppressed identifiers (under the
/// alias's keyed hash, so no plaintext). A tombstone is written before anything is deleted and never lifted: the
/// consent gate refuses the contact, resolution creates nothing for it and late statuses are dropped. Kept as the
/// suppression list after an objection or erasure (Art. 17(3)(e), Art. 21(3) GDPR; DSK Werbesperrdatei).
/// </summary>
public sealed class ContactTombstones(StorageClients storage, TimeProvider time)
{
    public const string TombstoneRow = "tombstone";
    public const string SuppressedRow = "suppressed";
    public const string ReceiptRow = "receipt";

    private readonly TableClient _table = storage.Table(StorageNames.SuppressionTable);

    // Tombstones are never lifted, so a positive answer can be remembered for the life of the process.
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    public async Task TombstoneAsync(string contactKey, string requestId, CancellationToken cancellationToken)
    {
        await AddOnceAsync(new TableEntity(contactKey, TombstoneRow) { ["RequestId"] = requestId, ["At"] = time.GetUtcNow() }, cancellationToken);
        _known[contactKey] = true;
    }

    public async Task<bool> IsTombstonedAsync(string contactKey, CancellationToken cancellationToken)
    {
        if (_known.ContainsKey(contactKey))
        {
            return true;
        }

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, TombstoneRow, ["RequestId"], cancellationToken);
        if (row.HasValue)
        {
            _known[contactKey] = true;
        }

        return row.HasValue;
    }

    /// <summary>Suppresses an identifier by its alias hash (a keyed hash), before the alias itself is deleted.</summary>
    public Task SuppressAliasAsync(string aliasHash, string requestId, CancellationToken cancellationToken) =>
        AddOnceAsync(new TableEntity(aliasHash, SuppressedRow) { ["RequestId"] = requestId, ["At"] = time.GetUtcNow() }, cancellationToken);

    public async Task<bool> IsAliasSuppressedAsync(string aliasHash, CancellationToken cancellationToken) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(aliasHash, SuppressedRow, ["RequestId"], cancellationToken)).HasValue;

    public Task WriteReceiptAsync(string contactKey, string requestId, string reportJson, CancellationToken cancellationToken) =>
        AddOnceAsync(new TableEntity(contactKey, ReceiptRow) { ["RequestId"] = requestId, ["At"] = time.GetUtcNow(), ["Report"] = reportJson }, cancellationToken);

    private async Task AddOnceAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Written before (a repeated effect): the first time stands.
        }
    }
}
