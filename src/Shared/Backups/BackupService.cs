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
/// <see cref="BackupOptions.KeyRetention"/>. A restore writes the tables back, the keys if their backup still exists, and
/// then shreds again the key of every contact tombstoned now: an erasure made after the backup is not undone by it.
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

    private BlobContainerClient Backups => storage.Container(StorageNames.BackupsContainer);

    private BlobContainerClient KeyBackups => storage.Container(StorageNames.KeyBackupsContainer);

    public async Task<BackupManifest> CreateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var backupId = string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}")[..32];
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
        await Backups.GetBlobClient($"{backupId}/{Manifest}")
            .UploadAsync(BinaryData.FromObjectAsJson(manifest, Json), overwrite: true, cancellationToken);
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
        var manifestBlob = Backups.GetBlobClient($"{backupId}/{Manifest}");
        if (!IsKeySafe(backupId) || !(await manifestBlob.ExistsAsync(cancellationToken)).Value)
        {
            return null;
        }

        var manifest = (await manifestBlob.DownloadContentAsync(cancellationToken)).Value.Content.ToObjectFromJson<BackupManifest>(Json)!;
        // Read before anything is written: who is erased (or being erased) now, whatever the backup says.
        var erased = await TombstonedAsync(cancellationToken);
        long rows = 0;
        foreach (var table in manifest.Tables)
        {
            rows += await ImportAsync(storage.Table(table.Name), Backups.GetBlobClient($"{backupId}/{table.Name}{Suffix}"),
                replace: !MergedOnRestore.Contains(table.Name), skipPartitions: new HashSet<string>(), cancellationToken);
        }

        // Without the key backup (older than Backup:KeyRetention) the current keys stay: contacts that still exist read
        // their restored data; erased contacts have no key anywhere.
        var keyBlob = KeyBackups.GetBlobClient($"{backupId}/{StorageNames.KeysTable}{Suffix}");
        var keysAvailable = (await keyBlob.ExistsAsync(cancellationToken)).Value;
        long keys = 0;
        if (keysAvailable)
        {
            keys = await ImportAsync(storage.Table(StorageNames.KeysTable), keyBlob, replace: true, skipPartitions: erased, cancellationToken);
        }

        foreach (var contactKey in erased)
        {
            await keyring.ShredAsync(contactKey, cancellationToken);
        }

        return new RestoreReport(backupId, rows, keys, keysAvailable, erased.Count);
    }

    public static bool IsKeySafe(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

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

    private static async Task<(long Rows, long Bytes)> ExportAsync(TableClient table, BlobClient blob, CancellationToken cancellationToken)
    {
        long rows = 0;
        await using (var stream = await blob.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken))
        await using (var gzip = new GZipStream(stream, CompressionLevel.Optimal))
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

        return (rows, (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength);
    }

    private static async Task<long> ImportAsync(
        TableClient table, BlobClient blob, bool replace, IReadOnlySet<string> skipPartitions, CancellationToken cancellationToken)
    {
        await table.CreateIfNotExistsAsync(cancellationToken);
        if (replace)
        {
            await ClearAsync(table, cancellationToken);
        }

        var rows = new List<TableEntity>();
        await using (var stream = await blob.OpenReadAsync(cancellationToken: cancellationToken))
        await using (var gzip = new GZipStream(stream, CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip, Encoding.UTF8))
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length > 0)
                {
                    var entity = BackupCodec.Read(line);
                    if (!skipPartitions.Contains(entity.PartitionKey))
                    {
                        rows.Add(entity);
                    }
                }
            }
        }

        foreach (var batch in rows.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(BatchSize)))
        {
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
        }

        return rows.Count;
    }

    private static async Task ClearAsync(TableClient table, CancellationToken cancellationToken)
    {
        var keys = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(new TableEntity(row.PartitionKey, row.RowKey));
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
                await container.GetBlobClient(blob.Name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
            }
        }
    }
}
