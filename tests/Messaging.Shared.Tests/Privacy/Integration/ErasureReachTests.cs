using System.Text;
using Azure.Data.Tables;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Contacts;
using Messaging.Shared.Conversations;
using Messaging.Shared.Events;
using Messaging.Shared.Outbound;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Shared.Tests.Privacy.Integration;

/// <summary>
/// Erasure reaches the copies that are not in the contact's own partitions: webhook copies sealed with the master key
/// (parked webhooks, claim-check bodies, unhandled events), campaign audience rows, the unknown-send index, the inbox's
/// conversation and index rows, the event outbox and parked events. Two contacts each; one is erased, the other keeps all.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ErasureReachTests(AzuriteFixture azurite)
{
    private const string OtherWaId = "4917099988877";

    private sealed record Copies(string ParkedId, string BodyId, string UnhandledFingerprint);

    private static async Task<Copies> HoldCopiesAsync(ConsentHarness harness, string waId, string tag)
    {
        // A webhook that kept failing (parked), a large one on its claim check, and a field no feature reads yet.
        var parkedBody = Encoding.UTF8.GetBytes(ConsentHarness.Text("wamid.P" + tag, "Geparkt " + tag).Replace(ConsentHarness.WaId, waId, StringComparison.Ordinal));
        var parkedId = WebhookEnvelope.IdOf(parkedBody);
        await harness.Core.Get<ParkedWebhookStore>().ParkAsync(new WebhookEnvelope(parkedId, DateTimeOffset.UtcNow, parkedBody, null), parkedBody, "test: kept failing", 5, CancellationToken.None);

        var largeBody = Encoding.UTF8.GetBytes(ConsentHarness.Text("wamid.B" + tag, "Gross " + tag).Replace(ConsentHarness.WaId, waId, StringComparison.Ordinal));
        var bodyId = WebhookEnvelope.IdOf(largeBody);
        // Saved by the ack, then read by a first processing attempt that did not finish (it notes whom the body names).
        await harness.Core.Get<WebhookBodyStore>().SaveAsync(bodyId, largeBody, CancellationToken.None);
        Assert.NotNull(await harness.Core.Get<WebhookBodyStore>().LoadAsync(bodyId, WebhookBodyStore.BlobName(bodyId), CancellationToken.None));

        var fingerprint = "fp" + tag;
        await harness.Core.Get<UnhandledEventStore>().KeepAsync(
            "history", fingerprint, "106540352242922", "{\"history\":[{\"threads\":[{\"id\":\"" + waId + "\",\"messages\":[{\"from\":\"" + waId + "\",\"text\":{\"body\":\"Alt " + tag + "\"}}]}]}]}", null, CancellationToken.None);
        return new Copies(parkedId, bodyId, fingerprint);
    }

    private static async Task<bool> StillHeldAsync(ConsentHarness harness, Copies copies)
    {
        var storage = harness.Core.Get<StorageClients>();
        var parked = await harness.Core.Get<ParkedWebhookStore>().GetAsync(copies.ParkedId, CancellationToken.None) is not null;
        var parkedBody = (await storage.Container(StorageNames.WebhookBodiesContainer).GetBlobClient(WebhookBodyStore.BlobName(copies.ParkedId)).ExistsAsync()).Value;
        var body = await harness.Core.Get<WebhookBodyStore>().LoadAsync(copies.BodyId, WebhookBodyStore.BlobName(copies.BodyId), CancellationToken.None) is not null;
        var unhandled = (await storage.Table(StorageNames.UnhandledTable).GetEntityIfExistsAsync<TableEntity>("history", copies.UnhandledFingerprint)).HasValue;
        Assert.True(parked == parkedBody && parked == body && parked == unhandled, $"Partly held: parked {parked}, its body {parkedBody}, body {body}, unhandled {unhandled}");
        return parked;
    }

    private static async Task<int> RowsAsync(ConsentHarness harness, string table, Func<TableEntity, bool> where)
    {
        var count = 0;
        await foreach (var row in harness.Core.Get<StorageClients>().Table(table).QueryAsync<TableEntity>())
        {
            count += where(row) ? 1 : 0;
        }

        return count;
    }

    [Fact]
    public async Task Given_a_parked_webhook_a_stored_body_and_an_unhandled_event_naming_a_contact_when_it_is_erased_then_none_is_left_and_the_other_contacts_are_kept()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var erased = await harness.DeliverTextFromAsync(ConsentHarness.WaId, "wamid.C-1", "Hallo");
        var kept = await harness.DeliverTextFromAsync(OtherWaId, "wamid.C-2", "Hallo");
        var erasedCopies = await HoldCopiesAsync(harness, ConsentHarness.WaId, "e");
        var keptCopies = await HoldCopiesAsync(harness, OtherWaId, "k");
        Assert.True(await StillHeldAsync(harness, erasedCopies));

        var report = await ErasureRun.EraseAsync(harness, erased, "dsr-copies");

        Assert.False(await StillHeldAsync(harness, erasedCopies));
        Assert.Equal(3, report.Rows(ErasureStores.WebhookCopies));
        var aliases = harness.Core.Get<WebhookCopyIndex>().AliasesIn(Encoding.UTF8.GetBytes($$"""{"wa_id":"{{ConsentHarness.WaId}}"}"""));
        Assert.Equal(0, await RowsAsync(harness, StorageNames.WebhookCopiesTable, r => aliases.Contains(r.PartitionKey)));
        Assert.True(await StillHeldAsync(harness, keptCopies));
        var keptBody = await harness.Core.Get<WebhookBodyStore>().LoadAsync(keptCopies.BodyId, WebhookBodyStore.BlobName(keptCopies.BodyId), CancellationToken.None);
        Assert.Contains(OtherWaId, Encoding.UTF8.GetString(keptBody!), StringComparison.Ordinal);
        Assert.NotNull(await harness.Core.Get<ContactDirectory>().GetAddressAsync(kept, CancellationToken.None));
    }

    [Fact]
    public async Task Given_campaign_rows_an_unknown_send_a_conversation_and_events_of_a_contact_when_it_is_erased_then_they_go_the_counts_stay_and_the_report_says_so()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var erased = await harness.DeliverTextFromAsync(ConsentHarness.WaId, "wamid.D-1", "Hallo");
        var kept = await harness.DeliverTextFromAsync(OtherWaId, "wamid.D-2", "Hallo");
        var storage = harness.Core.Get<StorageClients>();

        // A campaign that reached both: the erased one's send went out, with its name as a template parameter.
        var recipients = ActivatorUtilities.CreateInstance<CampaignRecipientStore>(harness.Core.Services);
        await recipients.WriteAsync("cmp-erase", [new CampaignRecipient(erased, ["Erika"]), new CampaignRecipient(kept, ["Otto"])], CancellationToken.None);
        var erasedRow = (await recipients.ReadPageAsync("cmp-erase", 0, CancellationToken.None)).Single(r => r.ContactKey == erased);
        erasedRow.State = nameof(RecipientState.Sent);
        await recipients.SaveAsync(erasedRow, CancellationToken.None);

        // A send whose outcome is unknown, listed for the operator.
        var outbox = harness.Core.Get<OutboxStore>();
        var sendKey = outbox.SendKey("send-unknown-1");
        Assert.True(await outbox.TryInsertAsync(new OutboxEntity { PartitionKey = erased, RowKey = sendKey, State = nameof(OutboxState.Unknown), Kind = "Marketing", MessageType = "template", CreatedAt = DateTimeOffset.UtcNow }, CancellationToken.None));
        await outbox.UpsertUnknownIndexAsync(erased, sendKey, CancellationToken.None);

        // The inbox's thread of both, an undelivered event and one parked for an operator.
        var conversations = ActivatorUtilities.CreateInstance<ConversationStore>(harness.Core.Services);
        var events = storage.Table(StorageNames.EventOutboxTable);
        var parkedEvents = storage.Table(StorageNames.ParkedEventsTable);
        foreach (var contactKey in new[] { erased, kept })
        {
            await conversations.NoteInboundAsync(contactKey, "wamid.X-" + contactKey, DateTimeOffset.UtcNow, "Hallo", "Erika", CancellationToken.None);
            await events.UpsertEntityAsync(new TableEntity(contactKey, EventOutbox.EventRow(1)) { ["Type"] = EventTypes.MessageReceived });
            await parkedEvents.UpsertEntityAsync(new TableEntity("sub-1", contactKey + "-" + EventOutbox.EventRow(1)) { ["ContactKey"] = contactKey });
        }

        var report = await ErasureRun.EraseAsync(harness, erased, "dsr-reach");

        var page = await recipients.ReadPageAsync("cmp-erase", 0, CancellationToken.None);
        Assert.DoesNotContain(page, r => r.ContactKey == erased);
        var anonymous = Assert.Single(page, r => r.RowKey.StartsWith("erased-", StringComparison.Ordinal));
        Assert.Equal((nameof(RecipientState.Sent), null), (anonymous.State, anonymous.ParametersSealed));
        Assert.Equal(["Otto"], await recipients.OpenParametersAsync(page.Single(r => r.ContactKey == kept), CancellationToken.None));
        Assert.Equal(1, report.Rows(ErasureStores.CampaignRecipients));
        // A page run that read the row before the erasure records its outcome late: the row does not come back.
        await recipients.SaveAsync(erasedRow, CancellationToken.None);
        Assert.DoesNotContain(await recipients.ReadPageAsync("cmp-erase", 0, CancellationToken.None), r => r.ContactKey == erased);

        Assert.Equal(0, await RowsAsync(harness, StorageNames.OutboxTable, r => r.PartitionKey == OutboxStore.UnknownIndexPartition && r.RowKey.Contains(erased, StringComparison.Ordinal)));
        Assert.True(report.Rows(ErasureStores.Outbox) >= 2);

        Assert.Null(await conversations.GetAsync(erased, CancellationToken.None));
        Assert.NotNull(await conversations.GetAsync(kept, CancellationToken.None));
        Assert.Equal(0, await RowsAsync(harness, StorageNames.ConversationIndexTable, r => r.RowKey.Contains(erased, StringComparison.Ordinal)));
        Assert.Equal(1, await RowsAsync(harness, StorageNames.ConversationIndexTable, r => r.RowKey.Contains(kept, StringComparison.Ordinal)));
        Assert.True(report.Rows(ErasureStores.Conversations) >= 2);

        // The receipt's observers may announce erasure.completed afterwards; the event that was pending is gone.
        Assert.False((await events.GetEntityIfExistsAsync<TableEntity>(erased, EventOutbox.EventRow(1))).HasValue);
        Assert.Equal(0, await RowsAsync(harness, StorageNames.ParkedEventsTable, r => r.RowKey.StartsWith(erased, StringComparison.Ordinal)));
        Assert.Equal(1, await RowsAsync(harness, StorageNames.ParkedEventsTable, r => r.RowKey.StartsWith(kept, StringComparison.Ordinal)));
        Assert.Equal(2, report.Rows(ErasureStores.EventOutbox));
    }

    [Fact]
    public async Task Given_sends_indexed_in_the_current_and_the_old_layout_when_a_contact_is_erased_then_its_index_rows_go_and_the_other_contacts_stay()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var erased = await harness.DeliverTextFromAsync(ConsentHarness.WaId, "wamid.W-1", "Hallo");
        var kept = await harness.DeliverTextFromAsync(OtherWaId, "wamid.W-2", "Hallo");
        var outbox = harness.Core.Get<OutboxStore>();
        var table = harness.Core.Get<StorageClients>().Table(StorageNames.OutboxTable);
        // Enough sends that several share an index partition, so the current layout's rows go in batches.
        foreach (var contactKey in new[] { erased, kept })
        {
            for (var i = 0; i < 40; i++)
            {
                var wamid = $"wamid.W-{contactKey}-{i}";
                var row = new OutboxEntity { PartitionKey = contactKey, RowKey = outbox.SendKey($"send-{contactKey}-{i}"), State = nameof(OutboxState.Sent), Kind = "Utility", MessageType = "template", CreatedAt = DateTimeOffset.UtcNow };
                outbox.SealWamid(row, wamid);
                Assert.True(await outbox.TryInsertAsync(row, CancellationToken.None));
                if (i % 4 == 0)
                {
                    // As the code before the change wrote it: one partition per send.
                    var (partitionKey, rowKey) = WamidIndexEntity.LegacyKeyOf(row.WamidHash!);
                    await table.UpsertEntityAsync(new WamidIndexEntity { PartitionKey = partitionKey, RowKey = rowKey, ContactKey = contactKey, SendKey = row.RowKey });
                }
                else
                {
                    await outbox.UpsertWamidIndexAsync(row.WamidHash!, contactKey, row.RowKey, CancellationToken.None);
                }
            }
        }

        static bool IndexRowOf(TableEntity row, string contactKey) => row.GetString("ContactKey") == contactKey && row.GetString("SendKey") is not null;
        var keptIndexRows = await RowsAsync(harness, StorageNames.OutboxTable, r => IndexRowOf(r, kept));
        Assert.True(keptIndexRows >= 40);
        var erasedRows = await RowsAsync(harness, StorageNames.OutboxTable, r => IndexRowOf(r, erased) || r.PartitionKey == erased);

        var report = await ErasureRun.EraseAsync(harness, erased, "dsr-wamid-index");

        var leftKeys = new List<string>();
        await foreach (var r in table.QueryAsync<TableEntity>())
        {
            if (IndexRowOf(r, erased) || r.PartitionKey == erased)
            {
                leftKeys.Add(r.PartitionKey + "/" + r.RowKey);
            }
        }

        Assert.True(leftKeys.Count == 0, string.Join(" ", leftKeys));
        Assert.Equal(keptIndexRows, await RowsAsync(harness, StorageNames.OutboxTable, r => IndexRowOf(r, kept)));
        // Counted as deleted only when they were there; the contact's privacy notice may land meanwhile (a row and its index row).
        Assert.InRange(report.Rows(ErasureStores.Outbox), erasedRows, erasedRows + 2);
        Assert.Null(await outbox.FindByWamidAsync($"wamid.W-{erased}-1", CancellationToken.None));
        Assert.Equal(kept, (await outbox.FindByWamidAsync($"wamid.W-{kept}-1", CancellationToken.None))?.PartitionKey);
        Assert.Equal(kept, (await outbox.FindByWamidAsync($"wamid.W-{kept}-4", CancellationToken.None))?.PartitionKey);
    }
}
