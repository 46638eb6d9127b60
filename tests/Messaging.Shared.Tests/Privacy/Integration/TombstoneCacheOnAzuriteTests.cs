using Messaging.Shared.Privacy;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Infrastructure;

namespace Messaging.Shared.Tests.Privacy.Integration;

/// <summary>
/// Two instances share storage: one remembers that a contact is not erased (so inbound events need no read per event),
/// the other erases it. Once the tombstone has settled, the first must refuse the contact.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TombstoneCacheOnAzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_contact_another_instance_erased_is_refused_once_its_tombstone_has_settled()
    {
        var storage = await azurite.CreateStorageAsync();
        var processing = new ContactTombstones(storage, TimeProvider.System);
        var erasure = new ContactTombstones(storage, TimeProvider.System);

        Assert.False(await processing.IsTombstonedAsync("contact-a", CancellationToken.None));
        Assert.False(await processing.IsTombstonedAsync("contact-a", CancellationToken.None));

        await erasure.TombstoneAsync("contact-a", "dsr-1", CancellationToken.None);

        Assert.True(await processing.IsTombstonedAsync("contact-a", CancellationToken.None));
        Assert.False(await processing.IsTombstonedAsync("contact-b", CancellationToken.None));
    }

    [Fact]
    public async Task A_tombstone_written_while_the_instance_was_idle_for_longer_than_the_poll_interval_is_still_seen()
    {
        var storage = await azurite.CreateStorageAsync();
        var processing = new ContactTombstones(storage, TimeProvider.System);
        var erasure = new ContactTombstones(storage, TimeProvider.System);
        Assert.False(await processing.IsTombstonedAsync("contact-c", CancellationToken.None));

        await erasure.TombstoneAsync("contact-c", "dsr-2", CancellationToken.None);
        await Task.Delay(ContactTombstones.PollInterval * 3);

        Assert.True(await processing.IsTombstonedAsync("contact-c", CancellationToken.None));
    }

    [Fact]
    public async Task A_new_tombstone_prunes_recent_rows_older_than_an_hour_and_keeps_the_newer_ones_and_every_tombstone()
    {
        var storage = await azurite.CreateStorageAsync();
        var table = storage.Table(StorageNames.SuppressionTable);
        await table.CreateIfNotExistsAsync();
        var old = DateTimeOffset.UtcNow - ContactTombstones.RecentKeptFor - TimeSpan.FromMinutes(5);
        var oldRows = Enumerable.Range(0, 130).Select(i => old.AddSeconds(-i).UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-contact-old-" + i).ToList();
        foreach (var row in oldRows)
        {
            await table.AddEntityAsync(new Azure.Data.Tables.TableEntity(ContactTombstones.RecentPartition, row));
        }

        var erasure = new ContactTombstones(storage, TimeProvider.System);
        await erasure.TombstoneAsync("contact-d", "dsr-3", CancellationToken.None);
        await erasure.TombstoneAsync("contact-e", "dsr-4", CancellationToken.None);

        var left = new List<string>();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == ContactTombstones.RecentPartition))
        {
            left.Add(row.GetString("ContactKey") ?? row.RowKey);
        }

        Assert.Equal(["contact-d", "contact-e"], left);
        Assert.True(await new ContactTombstones(storage, TimeProvider.System).IsTombstonedAsync("contact-d", CancellationToken.None));
    }
}
