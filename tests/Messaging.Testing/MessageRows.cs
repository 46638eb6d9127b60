using Azure.Data.Tables;
using Messaging.Shared.Messages;
using Messaging.Shared.Storage;

namespace Messaging.Testing;

/// <summary>Message rows wherever the message store keeps them: every contact shard table and the legacy Messages table.</summary>
public static class MessageRows
{
    public static async Task<List<TableEntity>> AllAsync(StorageClients storage, string? partitionKey = null)
    {
        var rows = new List<TableEntity>();
        foreach (var table in MessageTables.All)
        {
            var client = storage.Table(table);
            var query = partitionKey is null ? client.QueryAsync<TableEntity>() : client.QueryAsync<TableEntity>(e => e.PartitionKey == partitionKey);
            await foreach (var row in query)
            {
                rows.Add(row);
            }
        }

        return rows;
    }
}
