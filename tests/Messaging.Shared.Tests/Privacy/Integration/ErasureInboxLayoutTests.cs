using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Conversations;
using Messaging.Shared.Inbox;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Messaging.Shared.Tests.Privacy.Integration;

/// <summary>
/// Inbound events leave nothing per message outside the contact's partitions (the message row is its own
/// de-duplication), so erasure takes a contact's messages in entity-group batches; inbox rows of the old layout
/// (one Inbox partition per event) are still found and deleted while any are left.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ErasureInboxLayoutTests(AzuriteFixture azurite)
{
    private const string OtherWaId = "4917099988877";

    private static async Task<int> RowsAsync(ConsentHarness harness, string table, string? partitionKey = null)
    {
        var count = 0;
        await foreach (var row in harness.Core.Get<StorageClients>().Table(table).QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count += partitionKey is null || row.PartitionKey == partitionKey ? 1 : 0;
        }

        return count;
    }

    [Fact]
    public async Task Given_two_contacts_and_a_redelivered_message_when_one_is_erased_then_nothing_per_message_was_written_outside_its_partition_and_the_inbox_still_shows_the_other()
    {
        await using var harness = await ConsentHarness.StartWithConversationsAsync(azurite);
        var erased = await harness.DeliverTextFromAsync(ConsentHarness.WaId, "wamid.I-1", "Erste Nachricht");
        // Meta redelivers: the message row is the de-duplication, without an inbox row.
        await harness.DeliverTextFromAsync(ConsentHarness.WaId, "wamid.I-1", "Erste Nachricht");
        await harness.DeliverTextFromAsync(ConsentHarness.WaId, "wamid.I-2", "Zweite Nachricht");
        var kept = await harness.DeliverTextFromAsync(OtherWaId, "wamid.K-1", "Hallo vom anderen");
        await harness.DeliverTextFromAsync(OtherWaId, "wamid.K-2", "Noch eine Frage");
        Assert.Equal(2, (await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), erased)).Count);
        Assert.Equal(0, await RowsAsync(harness, StorageNames.InboxTable));

        var report = await ErasureRun.EraseAsync(harness, erased, "dsr-inbox-new");

        Assert.Equal(2, report.Rows(ErasureStores.Messages));
        Assert.Empty(await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), erased));
        Assert.Equal(2, (await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), kept)).Count);
        var (conversations, _) = await harness.Core.Get<ConversationStore>().ListAsync(null, null, 50, CancellationToken.None);
        Assert.Equal([kept], conversations.Select(c => c.ContactKey));
        var (thread, _) = await harness.Core.Get<MessageThread>().PageAsync(kept, null, 50, CancellationToken.None);
        Assert.Equal(["Hallo vom anderen", "Noch eine Frage"], thread.Select(m => m.Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Given_old_layout_inbox_rows_of_two_contacts_when_one_is_erased_then_its_rows_go_and_the_others_stay()
    {
        await using var harness = await ConsentHarness.StartWithConversationsAsync(azurite);
        var erased = await harness.DeliverTextFromAsync(ConsentHarness.WaId, "wamid.O-1", "Alt eins");
        var kept = await harness.DeliverTextFromAsync(OtherWaId, "wamid.P-1", "Alt zwei");
        var inbox = harness.Core.Get<InboxGuard>();
        foreach (var eventId in new[] { "m:wamid.O-1", "m:wamid.P-1" })
        {
            Assert.Equal(InboxClaim.Claimed, await inbox.ClaimAsync(eventId, CancellationToken.None));
            await inbox.CompleteAsync(eventId, CancellationToken.None);
        }

        await ErasureRun.EraseAsync(harness, erased, "dsr-inbox-old");

        var table = harness.Core.Get<StorageClients>().Table(StorageNames.InboxTable);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>(inbox.KeyOf("m:wamid.O-1"), InboxGuard.Row)).HasValue);
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>(inbox.KeyOf("m:wamid.P-1"), InboxGuard.Row)).HasValue);
        Assert.Equal(InboxClaim.AlreadyDone, await inbox.ClaimAsync("m:wamid.P-1", CancellationToken.None));
        Assert.Single(await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), kept));
    }
}
