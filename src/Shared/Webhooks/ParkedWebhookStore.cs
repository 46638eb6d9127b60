using Azure.Data.Tables;
using Messaging.Shared.Retention;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// The poison store: signed webhooks that could not be processed. The body stays sealed in blob storage; the
/// table row says why, so an operator can list, fix the cause and replay. Replaying re-enqueues the same
/// envelope; the inbox makes sure events already applied are not applied twice.
/// </summary>
public sealed class ParkedWebhookStore(
    StorageClients storage, WebhookBodyStore bodies, IWebhookQueue queue, TimeProvider time, RetentionIndex? retention = null, WebhookCopyIndex? copies = null)
{
    public const string Partition = "parked";
    private readonly TableClient _table = storage.Table(StorageNames.ParkedTable);

    public async Task ParkAsync(WebhookEnvelope envelope, ReadOnlyMemory<byte> body, string reason, int attempts, CancellationToken cancellationToken)
    {
        // Found by the people it names before it exists, so erasure reaches it (WebhookCopyIndex).
        if (copies is not null)
        {
            await copies.NoteAsync(body, WebhookCopyIndex.ParkedKind, "", envelope.Id, RetentionClasses.ParkedWebhooks, cancellationToken);
        }

        var blob = envelope.BodyBlob ?? await bodies.SaveAsync(envelope.Id, body, cancellationToken);
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, envelope.Id, cancellationToken: cancellationToken);
        if (retention is not null)
        {
            await retention.NoteAsync(RetentionClasses.ParkedWebhooks, StorageNames.ParkedTable, Partition, envelope.Id, time.GetUtcNow(), cancellationToken);
        }

        await _table.UpsertEntityAsync(
            new TableEntity(Partition, envelope.Id)
            {
                ["Reason"] = reason,
                ["ReceivedAt"] = envelope.ReceivedAt,
                ["ParkedAt"] = time.GetUtcNow(),
                ["Attempts"] = attempts,
                ["Blob"] = blob,
                ["ReplayCount"] = existing.HasValue ? existing.Value!.GetInt32("ReplayCount") ?? 0 : 0,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task<IReadOnlyList<ParkedWebhook>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var result = new List<ParkedWebhook>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            result.Add(ToView(row));
            if (result.Count >= max)
            {
                break;
            }
        }

        return result.OrderByDescending(p => p.ParkedAt).ToList();
    }

    /// <returns>False when no parked webhook has that id.</returns>
    public async Task<bool> ReplayAsync(string id, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return false;
        }

        var row = response.Value!;
        row["ReplayCount"] = (row.GetInt32("ReplayCount") ?? 0) + 1;
        row["ReplayRequestedAt"] = time.GetUtcNow();
        await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        var envelope = new WebhookEnvelope(id, row.GetDateTimeOffset("ReceivedAt") ?? time.GetUtcNow(), null, row.GetString("Blob"))
        {
            Replay = row.GetInt32("ReplayCount") ?? 1,
        };
        await queue.EnqueueAsync(envelope, WebhookRoutingKey.Unrouted, cancellationToken);
        return true;
    }

    /// <summary>Called when a (replayed) envelope was processed: the parked row and its body go.</summary>
    public async Task ResolveAsync(WebhookEnvelope envelope, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, envelope.Id, cancellationToken: cancellationToken);
        if (response.HasValue)
        {
            await _table.DeleteEntityAsync(Partition, envelope.Id, response.Value!.ETag, cancellationToken);
        }
    }

    public async Task<ParkedWebhook?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return response.HasValue ? ToView(response.Value!) : null;
    }

    private static ParkedWebhook ToView(TableEntity row) =>
        new(
            row.RowKey,
            row.GetString("Reason") ?? "",
            row.GetDateTimeOffset("ReceivedAt") ?? DateTimeOffset.MinValue,
            row.GetDateTimeOffset("ParkedAt") ?? DateTimeOffset.MinValue,
            row.GetInt32("Attempts") ?? 0,
            row.GetInt32("ReplayCount") ?? 0);
}
