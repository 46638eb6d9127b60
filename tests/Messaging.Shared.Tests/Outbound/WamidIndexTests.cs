using System.Security.Cryptography;
using Azure.Data.Tables;
using Messaging.Shared.Outbound;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Infrastructure;

namespace Messaging.Shared.Tests.Outbound;

/// <summary>A status webhook knows only the wamid: it finds its send in the current index layout and in the old one.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WamidIndexTests(AzuriteFixture azurite)
{
    private const string ContactKey = "c0ffee00c0ffee00c0ffee00c0ffee00";

    private static async Task<OutboxStore> SentAsync(StorageClients storage, string sendKey, string wamid)
    {
        var outbox = new OutboxStore(storage, new KeyedHasher(RandomNumberGenerator.GetBytes(32)), new MasterKey(RandomNumberGenerator.GetBytes(32)));
        var row = new OutboxEntity { PartitionKey = ContactKey, RowKey = sendKey, State = nameof(OutboxState.Sent), Kind = "Utility", MessageType = "template", CreatedAt = DateTimeOffset.UtcNow };
        outbox.SealWamid(row, wamid);
        Assert.True(await outbox.TryInsertAsync(row, CancellationToken.None));
        return outbox;
    }

    [Fact]
    public async Task A_status_finds_its_send_through_an_index_row_in_a_shared_hash_prefix_partition()
    {
        var storage = await azurite.CreateStorageAsync();
        var outbox = await SentAsync(storage, "send-new", "wamid.NEW-1");
        var hash = outbox.WamidHash("wamid.NEW-1");

        await outbox.UpsertWamidIndexAsync(hash, ContactKey, "send-new", CancellationToken.None);

        var (partitionKey, rowKey) = WamidIndexEntity.KeyOf(hash);
        Assert.Equal((WamidIndexEntity.PartitionPrefix + hash[..WamidIndexEntity.PartitionHexChars], hash), (partitionKey, rowKey));
        Assert.True((await storage.Table(StorageNames.OutboxTable).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey)).HasValue);
        Assert.Equal("send-new", (await outbox.FindByWamidAsync("wamid.NEW-1", CancellationToken.None))?.RowKey);
        Assert.Null(await outbox.FindByWamidAsync("wamid.NEVER-SENT", CancellationToken.None));
    }

    [Fact]
    public async Task A_status_finds_a_send_indexed_in_the_old_one_partition_per_send_layout()
    {
        var storage = await azurite.CreateStorageAsync();
        var outbox = await SentAsync(storage, "send-old", "wamid.OLD-1");
        var (partitionKey, rowKey) = WamidIndexEntity.LegacyKeyOf(outbox.WamidHash("wamid.OLD-1"));
        Assert.Equal((WamidIndexEntity.LegacyPartitionPrefix + outbox.WamidHash("wamid.OLD-1"), WamidIndexEntity.LegacyRowKey), (partitionKey, rowKey));

        // As the code before the change wrote it.
        await storage.Table(StorageNames.OutboxTable).UpsertEntityAsync(new WamidIndexEntity { PartitionKey = partitionKey, RowKey = rowKey, ContactKey = ContactKey, SendKey = "send-old" });

        Assert.Equal("send-old", (await outbox.FindByWamidAsync("wamid.OLD-1", CancellationToken.None))?.RowKey);
    }
}
