using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Backups;

/// <summary>
/// Daily backups of every table into the private <c>backups</c> container, one folder per run (gzip NDJSON per table,
/// values as stored, manifest.json last), except the per-contact keys: those go to <c>key-backups</c> and are kept only
/// <see cref="BackupOptions.KeyRetention"/>. Every blob is written once, whole (never opened for writing and then
/// committed), so the container can be immutable (Bicep: a time-based retention policy) and a run that died is resumed
/// by writing only the blobs it had not finished. A restore writes the tables back and the keys while their backup is
/// within Backup:KeyRetention, but nothing of a contact that is tombstoned now: an erasure made after the backup is not
/// undone by it.
/// </summary>
public sealed class BackupService(StorageClients storage, IOptions<BackupOptions> options, ContactKeyring keyring, TimeProvider time)
{
    private const string Manifest = "manifest.json";
    private const string Suffix = ".ndjson.gz";
    private const int BatchSize = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Append-only evidence: a restore adds the backup's rows but never removes what was written since (erasure receipts,
    // tombstones, the audit chain after the backup).
    private static readonly HashSet<string> MergedOnRestore = [StorageNames.AuditTable, StorageNames.SuppressionTable];

    // Rows in shared partitions (aliases, the conversation list, wamid and unknown-send indexes, parked events) name their
    // contact in this column; a restore leaves out those of an erased contact as it leaves out its partitions. Not for
    // the request records: an erasure request is the accountability record of that erasure (Art. 5(2), 12 GDPR).
    private const string OwnerColumn = "ContactKey";
    private static readonly HashSet<string> OwnerKeptOnRestore = [StorageNames.DataSubjectRequestsTable, .. MergedOnRestore];

    private BlobContainerClient Backups => storage.Container(StorageNames.BackupsContainer);

    private BlobContainerClient KeyBackups => storage.Container(StorageNames.KeyBackupsContainer);

    /// <summary>A new backup's id: sortable by time, unique, and safe as a blob folder.</summary>
    public static string NewBackupId(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}")[..32];

    /// <summary>The scheduled backup of a day: one id per day, so every instance's timer and every retry make one backup.</summary>
    public static string DailyBackupId(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd}-daily");

    public Task<BackupManifest> CreateAsync(CancellationToken cancellationToken) => CreateAsync(NewBackupId(time.GetUtcNow()), cancellationToken);

    /// <summary>Takes the backup <paramref name="backupId"/>, or finishes it, or (finished) returns its manifest.</summary>
    public async Task<BackupManifest> CreateAsync(string backupId, CancellationToken cancellationToken)
    {
        if (!IsKeySafe(backupId))
        {
            throw new ArgumentException("A backup id holds letters, digits and '-' only.", nameof(backupId));
        }

        if (await ManifestAsync(backupId, cancellationToken) is { } finished)
        {
            return finished;
        }

        var now = time.GetUtcNow();
        var names = StorageNames.Tables.Where(t => t != StorageNames.KeysTable)
            .Concat(await storage.ListTablesAsync(StorageNames.RetentionIndexTablePrefix, cancellationToken));
        var tables = new List<BackupTable>();
        foreach (var name in names)
        {
            var (rows, bytes) = await ExportAsync(storage.Table(name), Backups.GetBlobClient($"{backupId}/{name}{Suffix}"), cancellationToken);
            tables.Add(new BackupTable(name, rows, bytes));
        }

        var (keyRows, keyBytes) = await ExportAsync(
            storage.Table(StorageNames.KeysTable), KeyBackups.GetBlobClient($"{backupId}/{StorageNames.KeysTable}{Suffix}"), cancellationToken);
        var manifest = new BackupManifest(
            backupId, now, tables.Sum(t => t.SizeBytes) + keyBytes, tables, new BackupKeys(keyRows, keyBytes, now + options.Value.KeyRetention));
        try
        {
            await Backups.GetBlobClient($"{backupId}/{Manifest}").UploadAsync(BinaryData.FromObjectAsJson(manifest, Json), overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another worker finished the same backup first (at-least-once delivery): its manifest stands.
            return (await ManifestAsync(backupId, cancellationToken))!;
        }

        await PruneAsync(cancellationToken);
        return manifest;
    }

    /// <summary>Finished backups, newest first.</summary>
    public async Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken cancellationToken)
    {
        var manifests = new List<BackupManifest>();
        await foreach (var blob in Backups.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (blob.Name.EndsWith("/" + Manifest, StringComparison.Ordinal))
            {
                var content = await Backups.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken);
                manifests.Add(content.Value.Content.ToObjectFromJson<BackupManifest>(Json)!);
            }
        }

        return [.. manifests.OrderByDescending(m => m.CreatedAt)];
    }

    /// <summary>Deletes table backups older than Backup:Retention and key backups older than Backup:KeyRetention.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await DeleteOlderThanAsync(Backups, now - options.Value.Retention, cancellationToken);
        await DeleteOlderThanAsync(KeyBackups, now - options.Value.KeyRetention, cancellationToken);
    }

    public async Task<RestoreReport?> RestoreAsync(string backupId, CancellationToken cancellationToken)
    {
        if (!IsKeySafe(backupId) || await ManifestAsync(backupId, cancellationToken) is not { } manifest)
        {
            return null;
        }

        // Read before anything is written: who is erased (or being erased) now, whatever the backup says. Nothing of
        // theirs comes back: their rows in the backup are skipped, their rows now (the proof kept after erasure) stay.
        var erased = await TombstonedAsync(cancellationToken);
        long rows = 0;
        long skipped = 0;
        foreach (var table in manifest.Tables)
        {
            var (written, left) = await ImportAsync(storage.Table(table.Name), Backups.GetBlobClient($"{backupId}/{table.Name}{Suffix}"),
                replace: !MergedOnRestore.Contains(table.Name), erased, cancellationToken, ownerColumn: OwnerKeptOnRestore.Contains(table.Name) ? null : OwnerColumn);
            rows += written;
            skipped += left;
        }

        // A key backup past Backup:KeyRetention is not used even if its blob is still there (lifecycle deletion runs once
        // a day): the current keys stay, so contacts that still exist read their restored data and erased ones have none.
        var keyBlob = KeyBackups.GetBlobClient($"{backupId}/{StorageNames.KeysTable}{Suffix}");
        var keysAvailable = manifest.Keys.KeptUntil > time.GetUtcNow() && (await keyBlob.ExistsAsync(cancellationToken)).Value;
        long keys = 0;
        if (keysAvailable)
        {
            (keys, _) = await ImportAsync(storage.Table(StorageNames.KeysTable), keyBlob, replace: false, erased, cancellationToken);
        }

        foreach (var contactKey in erased)
        {
            await keyring.ShredAsync(contactKey, cancellationToken);
        }

        return new RestoreReport(backupId, rows, keys, keysAvailable, erased.Count, skipped);
    }

    public static bool IsKeySafe(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private async Task<BackupManifest?> ManifestAsync(string backupId, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Backups.GetBlobClient($"{backupId}/{Manifest}").DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<BackupManifest>(Json);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task<HashSet<string>> TombstonedAsync(CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(StorageNames.SuppressionTable).QueryAsync<TableEntity>(
            e => e.RowKey == ContactTombstones.TombstoneRow, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.PartitionKey);
        }

        return keys;
    }

    // Compressed to a temporary file, then uploaded in one call that never overwrites: a blob that exists is complete.
    private static async Task<(long Rows, long Bytes)> ExportAsync(TableClient table, BlobClient blob, CancellationToken cancellationToken)
    {
        if (await ExportedAsync(blob, cancellationToken) is { } done)
        {
            return done;
        }

        await using var file = new FileStream(
            Path.Combine(Path.GetTempPath(), "backup-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        long rows = 0;
        await using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
        {
            await using var json = new Utf8JsonWriter(gzip);
            try
            {
                await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
                {
                    BackupCodec.Write(json, entity);
                    await json.FlushAsync(cancellationToken);
                    json.Reset();
                    gzip.WriteByte((byte)'\n');
                    rows++;
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // A table not created yet (or a day table dropped meanwhile) is an empty one.
            }
        }

        var bytes = file.Length;
        file.Position = 0;
        try
        {
            await blob.UploadAsync(file, overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await ExportedAsync(blob, cancellationToken) ?? throw new InvalidOperationException("A backup blob was reported present and then was not.", e);
        }

        return (rows, bytes);
    }

    // A part written by an earlier attempt of the same backup: its rows are counted again rather than trusted from state.
    private static async Task<(long Rows, long Bytes)?> ExportedAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
            long rows = 0;
            await using var stream = await blob.OpenReadAsync(cancellationToken: cancellationToken);
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                rows += line.Length > 0 ? 1 : 0;
            }

            return (rows, bytes);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <returns>Rows written, and rows of the backup left out because their contact is erased now.</returns>
    private static async Task<(long Written, long Skipped)> ImportAsync(
        TableClient table, BlobClient blob, bool replace, IReadOnlySet<string> erased, CancellationToken cancellationToken, string? ownerColumn = null)
    {
        await table.CreateIfNotExistsAsync(cancellationToken);
        if (replace)
        {
            await ClearAsync(table, erased, cancellationToken);
        }

        var rows = new List<TableEntity>();
        long skipped = 0;
        await using (var stream = await blob.OpenReadAsync(cancellationToken: cancellationToken))
        await using (var gzip = new GZipStream(stream, CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip, Encoding.UTF8))
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var entity = BackupCodec.Read(line);
                if (erased.Contains(entity.PartitionKey) || (ownerColumn is not null && entity.GetString(ownerColumn) is { } owner && erased.Contains(owner)))
                {
                    skipped++;
                }
                else
                {
                    rows.Add(entity);
                }
            }
        }

        foreach (var batch in rows.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(BatchSize)))
        {
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
        }

        return (rows.Count, skipped);
    }

    // An erased contact's partitions are left as they are now (what erasure kept, such as the consent proof).
    private static async Task ClearAsync(TableClient table, IReadOnlySet<string> erased, CancellationToken cancellationToken)
    {
        var keys = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (!erased.Contains(row.PartitionKey))
            {
                keys.Add(new TableEntity(row.PartitionKey, row.RowKey));
            }
        }

        foreach (var batch in keys.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(BatchSize)))
        {
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
        }
    }

    private static async Task DeleteOlderThanAsync(BlobContainerClient container, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (blob.Properties.CreatedOn is { } created && created < before)
            {
                try
                {
                    await container.GetBlobClient(blob.Name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    // Still inside the container's immutability period (Bicep sets it to the same days): lifecycle
                    // management deletes it once the period ends.
                }
            }
        }
    }
}
