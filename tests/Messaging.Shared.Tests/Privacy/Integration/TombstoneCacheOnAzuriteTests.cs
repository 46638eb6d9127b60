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
}
