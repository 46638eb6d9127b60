using System.Text;
using Azure.Data.Tables;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Consent.Api;
using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy.Requests;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Shared.Tests.Privacy.Integration;

/// <summary>
/// Two contacts with consent, messages, sends, an access export and requests; one is erased through the request API;
/// then every table, queue and container is scanned for the erased contact's key and plaintext identifiers.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ErasureStorageScanTests(AzuriteFixture azurite)
{
    private const string OtherWaId = "4917099988877";

    /// <summary>Where the erased contact's key may stay, and why (README, erasure concept).</summary>
    private static readonly Dictionary<string, string> Kept = new()
    {
        [StorageNames.SuppressionTable] = "tombstone, suppressed aliases, receipt (Art. 17(3)(e), 21(3))",
        [StorageNames.ConsentTable] = "consent proof until ProofRetention",
        [StorageNames.AuditTable] = "hash-chained audit entries",
        [StorageNames.DataSubjectRequestsTable] = "the requests and their reports",
        [StorageNames.RetentionIndexTablePrefix] = "index rows (opaque keys) until their sweep; they point at deleted rows or at kept proof",
        [StorageNames.WorkflowsTable] = "the erasure's own instance row, partition \"erasures\" (part of the receipt)",
    };

    [Fact]
    public async Task After_erasure_the_contact_remains_only_in_suppression_ledger_audit_and_request_records_and_the_other_contact_is_intact()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        await harness.Core.Get<ConsentManagement>().StartOptInAsync(
            new OptInRequestBody(ConsentHarness.Phone, "marketing", "crm-api", "Ja, ich möchte Angebote per WhatsApp.", "marketing-v2"), null, CancellationToken.None);
        await harness.DeliverAsync(ConsentHarness.Text("wamid.S-1", "Geheimnis eins"));
        await harness.DeliverAsync(ConsentHarness.Text("wamid.S-2", "Zweites Geheimnis").Replace(ConsentHarness.WaId, OtherWaId, StringComparison.Ordinal));
        var directory = harness.Core.Get<ContactDirectory>();
        var erased = (await directory.FindByPhoneAsync(ConsentHarness.Phone, CancellationToken.None))!;
        var other = (await directory.FindByPhoneAsync("+" + OtherWaId, CancellationToken.None))!;
        var requests = harness.Core.Get<DataSubjectRequests>();
        await requests.ReceiveAsync(new DataSubjectRequestBody("access", null, erased, "email", null), null, CancellationToken.None);
        await requests.ReceiveAsync(new DataSubjectRequestBody("access", null, other, "email", null), null, CancellationToken.None);
        await Eventually.TrueAsync(async () => harness.SentBodies.Count >= 3 && (await directory.GetAddressAsync(erased, CancellationToken.None)) is not null);
        // Copies outside the contacts' partitions: parked and claim-checked webhooks, unhandled events, campaign rows.
        foreach (var (waId, contactKey, tag) in new[] { (ConsentHarness.WaId, erased, "e"), (OtherWaId, other, "o") })
        {
            var parked = Encoding.UTF8.GetBytes(ConsentHarness.Text("wamid.SP" + tag, "Geheimnis geparkt").Replace(ConsentHarness.WaId, waId, StringComparison.Ordinal));
            await harness.Core.Get<ParkedWebhookStore>().ParkAsync(new WebhookEnvelope(WebhookEnvelope.IdOf(parked), DateTimeOffset.UtcNow, parked, null), parked, "test", 5, CancellationToken.None);
            var large = Encoding.UTF8.GetBytes(ConsentHarness.Text("wamid.SB" + tag, "Geheimnis gross").Replace(ConsentHarness.WaId, waId, StringComparison.Ordinal));
            await harness.Core.Get<WebhookBodyStore>().SaveAsync(WebhookEnvelope.IdOf(large), large, CancellationToken.None);
            await harness.Core.Get<WebhookBodyStore>().LoadAsync(WebhookEnvelope.IdOf(large), WebhookBodyStore.BlobName(WebhookEnvelope.IdOf(large)), CancellationToken.None);
            await harness.Core.Get<UnhandledEventStore>().KeepAsync("history", "fp-" + tag, "106540352242922", "{\"wa_id\":\"" + waId + "\",\"text\":\"Geheimnis alt\"}", null, CancellationToken.None);
            await ActivatorUtilities.CreateInstance<CampaignRecipientStore>(harness.Core.Services).WriteAsync("cmp-scan-" + tag, [new CampaignRecipient(contactKey, ["Geheimnis Name"])], CancellationToken.None);
        }

        var (accepted, _) = await requests.ReceiveAsync(new DataSubjectRequestBody("erasure", ConsentHarness.Phone, null, "web", null), null, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await requests.GetAsync(accepted!.RequestId, CancellationToken.None))!.Status == DataSubjectRequestKinds.Completed, TimeSpan.FromSeconds(60));

        var storage = harness.Core.Get<StorageClients>();
        var found = new List<string>();
        var otherRows = 0;
        // The retention index's day tables are made at run time; they are scanned too.
        foreach (var table in StorageNames.Tables.Concat(await storage.ListTablesAsync(StorageNames.RetentionIndexTablePrefix, CancellationToken.None)))
        {
            await foreach (var row in storage.Table(table).QueryAsync<TableEntity>())
            {
                var text = string.Join('|', row.Select(p => p.Value is byte[] ? "" : p.Value?.ToString()).Prepend(row.RowKey).Prepend(row.PartitionKey));
                Assert.DoesNotContain(ConsentHarness.WaId, text, StringComparison.Ordinal);
                Assert.DoesNotContain("Geheimnis", text, StringComparison.Ordinal);
                otherRows += text.Contains(other, StringComparison.Ordinal) ? 1 : 0;
                if (text.Contains(erased, StringComparison.Ordinal)
                    && !(Kept.ContainsKey(table.StartsWith(StorageNames.RetentionIndexTablePrefix, StringComparison.Ordinal) ? StorageNames.RetentionIndexTablePrefix : table) && (table != StorageNames.WorkflowsTable || row.PartitionKey == "erasures")))
                {
                    found.Add($"{table}: {row.PartitionKey}/{row.RowKey}");
                }
            }
        }

        foreach (var queue in StorageNames.Queues)
        {
            foreach (var message in (await storage.Queue(queue).PeekMessagesAsync(32)).Value)
            {
                Assert.DoesNotContain(ConsentHarness.WaId, message.Body.ToString(), StringComparison.Ordinal);
            }
        }

        // Blobs: webhook bodies are sealed with the master key, so they are opened before they are searched.
        var bodies = harness.Core.Get<WebhookBodyStore>();
        var otherBodies = 0;
        await foreach (var blob in storage.Container(StorageNames.WebhookBodiesContainer).GetBlobsAsync())
        {
            var text = Encoding.UTF8.GetString(await bodies.LoadAsync(blob.Name["bodies/".Length..], blob.Name, CancellationToken.None) ?? []);
            Assert.DoesNotContain(ConsentHarness.WaId, text, StringComparison.Ordinal);
            otherBodies += text.Contains(OtherWaId, StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.Equal(2, otherBodies);
        foreach (var container in StorageNames.Containers)
        {
            await foreach (var blob in storage.Container(container).GetBlobsAsync())
            {
                Assert.DoesNotContain(erased, blob.Name, StringComparison.Ordinal);
            }
        }

        Assert.True(found.Count == 0, "Left after erasure: " + string.Join("; ", found));
        Assert.NotNull(await directory.GetAddressAsync(other, CancellationToken.None));
        Assert.True(otherRows >= 4, $"The other contact's rows: {otherRows}");
        var export = await requests.ListAsync(DataSubjectRequestKinds.Completed, CancellationToken.None);
        Assert.Equal(3, export.Count);
    }
}
