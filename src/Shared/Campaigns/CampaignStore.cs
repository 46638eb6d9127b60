using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Campaigns;

/// <summary>The Campaigns table: definitions written by the API, status rows written by the decider's effect.</summary>
public sealed class CampaignStore(StorageClients storage)
{
    private TableClient Table => storage.Table(StorageNames.CampaignsTable);

    /// <returns>False when a campaign with this id exists already.</returns>
    public async Task<bool> TryAddDefinitionAsync(CampaignDefinition definition, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(Entity(definition.CampaignId, CampaignEntity.DefinitionRow, definition, definition.CreatedAt), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Replaces the definition (a draft's new audience); the decider's status row is untouched.</summary>
    public Task ReplaceDefinitionAsync(CampaignDefinition definition, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(Entity(definition.CampaignId, CampaignEntity.DefinitionRow, definition, definition.CreatedAt), TableUpdateMode.Replace, cancellationToken);

    public async Task<CampaignDefinition?> GetDefinitionAsync(string campaignId, CancellationToken cancellationToken) =>
        await GetAsync<CampaignDefinition>(campaignId, CampaignEntity.DefinitionRow, cancellationToken);

    public async Task<CampaignSnapshot?> GetStatusAsync(string campaignId, CancellationToken cancellationToken) =>
        await GetAsync<CampaignSnapshot>(campaignId, CampaignEntity.StatusRow, cancellationToken);

    public async Task<IReadOnlyList<CampaignDefinition>> ListDefinitionsAsync(CancellationToken cancellationToken)
    {
        var list = new List<CampaignDefinition>();
        await foreach (var row in Table.QueryAsync<CampaignEntity>(e => e.RowKey == CampaignEntity.DefinitionRow, cancellationToken: cancellationToken))
        {
            list.Add(JsonSerializer.Deserialize<CampaignDefinition>(row.Json, CampaignWorkflow.Json)!);
        }

        return [.. list.OrderByDescending(d => d.CreatedAt)];
    }

    /// <summary>Writes the snapshot unless the stored one is newer (effects of earlier steps may run late after a crash).</summary>
    public async Task RecordStatusAsync(CampaignSnapshot snapshot, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await Table.GetEntityIfExistsAsync<CampaignEntity>(snapshot.CampaignId, CampaignEntity.StatusRow, cancellationToken: cancellationToken);
            var entity = Entity(snapshot.CampaignId, CampaignEntity.StatusRow, snapshot, snapshot.At);
            try
            {
                if (!current.HasValue)
                {
                    await Table.AddEntityAsync(entity, cancellationToken);
                }
                else if (current.Value!.At <= snapshot.At)
                {
                    await Table.UpdateEntityAsync(entity, current.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Someone wrote meanwhile: read again and compare times.
            }
        }
    }

    private async Task<T?> GetAsync<T>(string campaignId, string row, CancellationToken cancellationToken)
        where T : class
    {
        var entity = await Table.GetEntityIfExistsAsync<CampaignEntity>(campaignId, row, cancellationToken: cancellationToken);
        return entity.HasValue ? JsonSerializer.Deserialize<T>(entity.Value!.Json, CampaignWorkflow.Json) : null;
    }

    private static CampaignEntity Entity(string campaignId, string row, object value, DateTimeOffset at) =>
        new() { PartitionKey = campaignId, RowKey = row, Json = JsonSerializer.Serialize(value, value.GetType(), CampaignWorkflow.Json), At = at };
}
