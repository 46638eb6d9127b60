using System.Text.Json;
using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Conversations;
using Messaging.Shared.Messages;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Privacy.Requests;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Tests.Privacy.Integration;
using Microsoft.Extensions.Configuration;

namespace Messaging.Shared.Tests.Messages;

/// <summary>
/// A contact's message rows live in its shard of Messages (<see cref="MessageTables"/>); rows an earlier release wrote
/// into the one legacy Messages table are still shown, updated, exported and erased.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ContactShardedMessagesTests(AzuriteFixture azurite)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static readonly string[] WaIds = ["4915100000001", "4915100000002", "4915100000003", "4915100000004", "4915100000005", "4915100000006"];

    private static string Status(string waId, string wamid, string status) =>
        $$$"""{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},"statuses":[{"id":"{{{wamid}}}","status":"{{{status}}}","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","recipient_id":"{{{waId}}}"}]}}]}]}""";

    private static async Task<List<TableEntity>> RowsAsync(ConsentHarness harness, string table, string contactKey)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in harness.Core.Get<StorageClients>().Table(table).QueryAsync<TableEntity>(e => e.PartitionKey == contactKey))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Rows as a release before the sharding wrote them: in the legacy table, sealed with the contact's key.</summary>
    private static async Task<(string InRowKey, string OutRowKey)> SeedLegacyRowsAsync(ConsentHarness harness, string contactKey, string prefix)
    {
        var keyring = harness.Core.Get<ContactKeyring>();
        var store = harness.Core.Get<MessageStore>();
        var legacy = harness.Core.Get<StorageClients>().Table(MessageTables.Legacy);
        var at = DateTimeOffset.UtcNow.AddDays(-3);
        var inbound = new TableEntity(contactKey, store.RowKeyOf(prefix + "-IN"))
        {
            ["Direction"] = "in",
            ["Type"] = "text",
            ["SentAt"] = at,
            ["ReceivedAt"] = at,
            ["Wamid"] = await keyring.SealAsync(contactKey, "wamid", prefix + "-IN", CancellationToken.None),
            ["Text"] = await keyring.SealAsync(contactKey, "text", "Aus der alten Tabelle", CancellationToken.None),
            ["Raw"] = await keyring.SealAsync(contactKey, "message", "{}", CancellationToken.None),
            [MessageStore.ReplyToKnownColumn] = true,
        };
        var sent = new TableEntity(contactKey, store.RowKeyOf(prefix + "-OUT"))
        {
            ["Direction"] = "out",
            ["Status"] = "sent",
            ["Seen"] = "sent",
            ["SentStatusAt"] = at.AddMinutes(1),
            ["Wamid"] = await keyring.SealAsync(contactKey, "wamid", prefix + "-OUT", CancellationToken.None),
        };
        await legacy.AddEntityAsync(inbound);
        await legacy.AddEntityAsync(sent);
        return (inbound.RowKey, sent.RowKey);
    }

    [Fact]
    public async Task Each_contacts_messages_are_written_to_its_own_shard_table_and_none_to_the_legacy_table()
    {
        await using var harness = await ConsentHarness.StartWithConversationsAsync(azurite);
        var contacts = new List<string>();
        foreach (var (waId, i) in WaIds.Select((w, i) => (w, i)))
        {
            contacts.Add(await harness.DeliverTextFromAsync(waId, $"wamid.SHARD-{i}", "Hallo"));
            if (contacts.Select(MessageTables.Of).Distinct().Count() > 1)
            {
                break;
            }
        }

        // Six contacts all in one of 32 shards would be a one-in-33-million chance.
        Assert.True(contacts.Select(MessageTables.Of).Distinct().Count() > 1);
        foreach (var contactKey in contacts)
        {
            var shard = MessageTables.Of(contactKey);
            Assert.Single(await RowsAsync(harness, shard, contactKey));
            foreach (var other in MessageTables.All.Where(t => t != shard))
            {
                Assert.Empty(await RowsAsync(harness, other, contactKey));
            }
        }
    }

    [Fact]
    public async Task Given_rows_in_the_legacy_table_a_status_updates_its_legacy_row_and_the_thread_and_export_show_them_next_to_new_rows()
    {
        await using var harness = await ConsentHarness.StartWithConversationsAsync(azurite);
        var contactKey = await harness.DeliverTextFromAsync(ConsentHarness.WaId, "wamid.NEW-1", "Neu in der Shard-Tabelle");
        var (inRowKey, outRowKey) = await SeedLegacyRowsAsync(harness, contactKey, "wamid.LEGACY");

        await harness.DeliverAsync(Status(ConsentHarness.WaId, "wamid.LEGACY-OUT", "read"));

        var legacyRows = await RowsAsync(harness, MessageTables.Legacy, contactKey);
        Assert.Equal("read", Assert.Single(legacyRows, r => r.RowKey == outRowKey).GetString("Status"));
        var shardRows = await RowsAsync(harness, MessageTables.Of(contactKey), contactKey);
        Assert.DoesNotContain(shardRows, r => r.RowKey == outRowKey);

        var (thread, _) = await harness.Core.Get<MessageThread>().PageAsync(contactKey, null, 50, CancellationToken.None);
        Assert.Equal([inRowKey, outRowKey, shardRows.Single().RowKey], thread.Select(m => m.MessageId));
        Assert.Equal(["Aus der alten Tabelle", null, "Neu in der Shard-Tabelle"], thread.Select(m => m.Text));
        Assert.Equal("read", thread[1].Status);

        var exports = harness.Core.Get<DataSubjectExports>();
        await exports.CreateAsync("dsr-legacy-export", contactKey, CancellationToken.None);
        var export = JsonSerializer.Deserialize<DataSubjectExportDocument>((await exports.ReadAsync("dsr-legacy-export", contactKey, CancellationToken.None))!, Web)!;
        Assert.Equal(["wamid.LEGACY-IN", "wamid.LEGACY-OUT", "wamid.NEW-1"], export.Messages.Select(m => m.MessageId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Given_a_contact_with_rows_in_its_shard_and_in_the_legacy_table_when_it_is_erased_then_both_are_gone_and_the_others_stay()
    {
        await using var harness = await ConsentHarness.StartWithConversationsAsync(azurite);
        var erased = await harness.DeliverTextFromAsync(ConsentHarness.WaId, "wamid.E-1", "Bitte löschen");
        var kept = await harness.DeliverTextFromAsync(WaIds[0], "wamid.K-1", "Ich bleibe");
        await SeedLegacyRowsAsync(harness, erased, "wamid.E-OLD");
        await SeedLegacyRowsAsync(harness, kept, "wamid.K-OLD");

        var report = await ErasureRun.EraseAsync(harness, erased, "dsr-legacy-erase");

        Assert.Equal(3, report.Rows(ErasureStores.Messages));
        Assert.Empty(await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), erased));
        Assert.Equal(3, (await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), kept)).Count);
        Assert.Equal(2, (await RowsAsync(harness, MessageTables.Legacy, kept)).Count);
    }
}
