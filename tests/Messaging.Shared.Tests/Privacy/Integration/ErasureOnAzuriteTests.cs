using Messaging.Shared.Conversations;
using Azure.Data.Tables;
using Messaging.LocalHost.Workflows;
using Messaging.Shared.Backups;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Api;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Contacts;
using Messaging.Shared.Outbound;
using Messaging.Shared.Privacy;
using Messaging.Shared.Privacy.Audit;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Retention;
using Messaging.Shared.Messages;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Messaging.Shared.Tests.Privacy.Integration;

/// <summary>Erasure on the real table driver and worker, against Azurite, with WireMock as Graph.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ErasureOnAzuriteTests(AzuriteFixture azurite)
{
    private const string OtherWaId = "4917099988877";

    private static Task<ErasureReport> EraseAsync(ConsentHarness harness, string contactKey, string requestId, string channel = "whatsapp") =>
        ErasureRun.EraseAsync(harness, contactKey, requestId, channel);

    private static async Task<int> RowsAsync(ConsentHarness harness, string table, string partitionKey)
    {
        var count = 0;
        await foreach (var _ in harness.Core.Get<StorageClients>().Table(table).QueryAsync<TableEntity>(e => e.PartitionKey == partitionKey))
        {
            count++;
        }

        return count;
    }

    private static async Task<int> OwnedRowsAsync(ConsentHarness harness, string table, string contactKey)
    {
        var count = 0;
        var client = harness.Core.Get<StorageClients>().Table(table);
        await client.CreateIfNotExistsAsync();
        await foreach (var _ in client.QueryAsync<TableEntity>(e => e.GetString("ContactKey") == contactKey))
        {
            count++;
        }

        return count;
    }

    private static async Task<string> ContactWithHistoryAsync(ConsentHarness harness, string waId, string wamidPrefix)
    {
        await harness.DeliverAsync(ConsentHarness.Text(wamidPrefix + "-1", "Hallo").Replace(ConsentHarness.WaId, waId, StringComparison.Ordinal));
        await harness.DeliverAsync(ConsentHarness.Text(wamidPrefix + "-2", "Noch eine Frage").Replace(ConsentHarness.WaId, waId, StringComparison.Ordinal));
        var contactKey = await harness.Core.Get<ContactDirectory>().FindByPhoneAsync("+" + waId, CancellationToken.None);
        Assert.NotNull(contactKey);
        return contactKey;
    }

    [Fact]
    public async Task Given_a_backup_taken_before_an_erasure_when_it_is_restored_then_the_erased_contact_cannot_be_read_and_the_other_can()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var erased = await ContactWithHistoryAsync(harness, ConsentHarness.WaId, "wamid.R");
        var kept = await ContactWithHistoryAsync(harness, OtherWaId, "wamid.S");
        // Wamid index rows in shared partitions, in the current and the old layout: they name their contact in a column.
        var outbox = harness.Core.Get<OutboxStore>();
        var outboxTable = harness.Core.Get<StorageClients>().Table(StorageNames.OutboxTable);
        foreach (var contactKey in new[] { erased, kept })
        {
            await outbox.UpsertWamidIndexAsync(outbox.WamidHash("wamid.OUT-" + contactKey), contactKey, "send-1", CancellationToken.None);
            var (partitionKey, rowKey) = WamidIndexEntity.LegacyKeyOf(outbox.WamidHash("wamid.OLD-" + contactKey));
            await outboxTable.UpsertEntityAsync(new WamidIndexEntity { PartitionKey = partitionKey, RowKey = rowKey, ContactKey = contactKey, SendKey = "send-0" });
        }

        var conversationIndex = harness.Core.Get<StorageClients>().Table(StorageNames.ConversationIndexTable);
        await conversationIndex.CreateIfNotExistsAsync();
        foreach (var contactKey in new[] { erased, kept })
        {
            await conversationIndex.UpsertEntityAsync(new TableEntity(ConversationStore.IndexPartition, ConversationStore.IndexKey(DateTimeOffset.UtcNow, contactKey)) { ["ContactKey"] = contactKey });
        }

        var backups = harness.Core.Get<BackupService>();
        var backup = await backups.CreateAsync(CancellationToken.None);
        Assert.DoesNotContain(backup.Tables, t => t.Name == StorageNames.KeysTable);
        Assert.Equal(4, backup.Tables.Where(t => MessageTables.All.Contains(t.Name)).Sum(t => t.Rows));
        Assert.True(backup.Keys.Rows >= 2);

        await EraseAsync(harness, erased, "dsr-before-restore");
        var report = await backups.RestoreAsync(backup.BackupId, CancellationToken.None);

        Assert.NotNull(report);
        Assert.True(report.KeysAvailable);
        Assert.Equal(1, report.ErasuresReapplied);
        // Nothing of the erased contact comes back from the backup: neither its key nor its rows.
        Assert.True(report.ErasedRowsSkipped >= 3, $"{report.ErasedRowsSkipped} rows of the erased contact skipped");
        Assert.Empty(await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), erased));
        Assert.Equal(0, await RowsAsync(harness, StorageNames.KeysTable, erased));
        var indexOwners = new List<string>();
        await foreach (var row in outboxTable.QueryAsync<WamidIndexEntity>(e => e.SendKey == "send-1" || e.SendKey == "send-0"))
        {
            indexOwners.Add(row.ContactKey);
        }

        Assert.Equal([kept, kept], indexOwners);
        // Aliases and the conversation list live in shared partitions too and name their contact in a column.
        Assert.Equal(0, await OwnedRowsAsync(harness, StorageNames.AliasesTable, erased));
        Assert.True(await OwnedRowsAsync(harness, StorageNames.AliasesTable, kept) >= 1);
        Assert.Equal(0, await OwnedRowsAsync(harness, StorageNames.ConversationIndexTable, erased));
        Assert.Null(await harness.Core.Get<ContactKeyring>().GetAsync(erased, CancellationToken.None));
        Assert.Equal(["Hallo", "Noch eine Frage"], (await TextsAsync(harness, kept)).Order(StringComparer.Ordinal));
        Assert.True(await harness.Core.Get<ContactTombstones>().IsTombstonedAsync(erased, CancellationToken.None));
        Assert.Contains(await backups.ListAsync(CancellationToken.None), b => b.BackupId == backup.BackupId);
    }

    [Fact]
    public async Task Given_a_key_backup_older_than_KeyRetention_when_a_backup_is_restored_then_no_key_comes_back_from_it()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var lost = await ContactWithHistoryAsync(harness, ConsentHarness.WaId, "wamid.K");
        var kept = await ContactWithHistoryAsync(harness, OtherWaId, "wamid.L");
        var backup = await harness.Core.Get<BackupService>().CreateAsync(CancellationToken.None);
        var keyring = harness.Core.Get<ContactKeyring>();

        // A key gone from the live table (shredded) stays gone once its backup is past Backup:KeyRetention (P7D), even
        // while lifecycle deletion has not yet removed the key backup's blob.
        await keyring.ShredAsync(lost, CancellationToken.None);
        var eightDaysOn = new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromDays(8));
        var late = new BackupService(harness.Core.Get<StorageClients>(), Options.Create(new BackupOptions()), keyring, eightDaysOn);
        var report = await late.RestoreAsync(backup.BackupId, CancellationToken.None);

        Assert.NotNull(report);
        Assert.False(report.KeysAvailable);
        Assert.Null(await keyring.GetAsync(lost, CancellationToken.None));
        Assert.Empty((await TextsAsync(harness, lost)).OfType<string>());
        Assert.Equal(["Hallo", "Noch eine Frage"], (await TextsAsync(harness, kept)).Order(StringComparer.Ordinal));

        // Within KeyRetention the same restore brings the key back: the period, not the restore, made the difference.
        var inTime = await harness.Core.Get<BackupService>().RestoreAsync(backup.BackupId, CancellationToken.None);
        Assert.True(inTime!.KeysAvailable);
        Assert.Equal(["Hallo", "Noch eine Frage"], (await TextsAsync(harness, lost)).Order(StringComparer.Ordinal));
    }

    private static async Task<List<string?>> TextsAsync(ConsentHarness harness, string contactKey)
    {
        var keyring = harness.Core.Get<ContactKeyring>();
        var texts = new List<string?>();
        foreach (var row in await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), contactKey))
        {
            texts.Add(await keyring.OpenAsync(contactKey, "text", row.GetBinary("Text"), CancellationToken.None));
        }

        return texts;
    }

    [Fact]
    public async Task Given_a_contact_silent_for_longer_than_InactiveContacts_when_a_sweep_runs_then_it_is_erased_on_channel_retention_and_one_active_since_is_kept()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var inactive = await ContactWithHistoryAsync(harness, ConsentHarness.WaId, "wamid.I");
        var activeAgain = await ContactWithHistoryAsync(harness, OtherWaId, "wamid.J");

        // Given both were last noted active 800 days ago (past the default P730D), and the second has written since.
        var longAgo = DateTimeOffset.UtcNow - TimeSpan.FromDays(800);
        var index = harness.Core.Get<RetentionIndex>();
        var contacts = harness.Core.Get<StorageClients>().Table(StorageNames.ContactsTable);
        foreach (var contactKey in new[] { inactive, activeAgain })
        {
            await index.NoteAsync(RetentionClasses.InactiveContacts, StorageNames.ContactsTable, contactKey, ContactActivity.RowKey, longAgo, CancellationToken.None);
        }

        await contacts.UpsertEntityAsync(new TableEntity(inactive, ContactActivity.RowKey) { [ContactActivity.AtColumn] = longAgo }, TableUpdateMode.Merge);

        var sweeper = harness.Core.Get<RetentionSweeper>();
        var sweep = sweeper.NewSweep("inactive-sweep");
        await harness.Core.Get<RetentionSweepStore>().CreateAsync(sweep, CancellationToken.None);
        Assert.True(await sweeper.RunAsync(sweep.SweepId, CancellationToken.None));

        var done = await harness.Core.Get<RetentionSweepStore>().GetAsync(sweep.SweepId, CancellationToken.None);
        Assert.Equal(1, done!.Classes.Single(c => c.Name == RetentionClasses.InactiveContacts).Deleted);
        var requestId = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"retention-{longAgo.UtcDateTime:yyyyMMddHHmmss}-{inactive}");
        await Eventually.TrueAsync(
            async () => await harness.Driver.GetAsync(ErasureWorkflow.Instance(requestId), CancellationToken.None) is { } snapshot
                && ErasureWorkflow.Definition.DeserializeState(snapshot.StateJson) is ErasureState.Completed,
            TimeSpan.FromSeconds(60));
        var erasure = ErasureWorkflow.Definition.DeserializeState((await harness.Driver.GetAsync(ErasureWorkflow.Instance(requestId), CancellationToken.None))!.StateJson);
        Assert.Equal(ErasureService.RetentionChannel, Erasure.Progress(erasure)!.Channel);
        Assert.Equal("retention", ErasureService.RetentionChannel);
        Assert.True(await harness.Core.Get<ContactTombstones>().IsTombstonedAsync(inactive, CancellationToken.None));
        Assert.Empty(await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), inactive));
        Assert.False(await harness.Core.Get<ContactTombstones>().IsTombstonedAsync(activeAgain, CancellationToken.None));
        Assert.Equal(2, (await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), activeAgain)).Count);
    }

    [Fact]
    public async Task Given_a_contact_with_consent_messages_and_sends_when_erased_then_only_suppression_ledger_and_audit_remain_and_the_other_contact_is_intact()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var accepted = (await harness.Core.Get<ConsentManagement>().StartOptInAsync(
            new OptInRequestBody(ConsentHarness.Phone, "marketing", "crm-api", "Ja, ich möchte Angebote per WhatsApp.", "marketing-v2"), null, CancellationToken.None)).Accepted!;
        await Eventually.TrueAsync(async () => (await harness.HeadAsync(accepted.ContactKey)).Status == ConsentStatus.Pending && harness.SentBodies.Count == 1);
        var erased = await ContactWithHistoryAsync(harness, ConsentHarness.WaId, "wamid.A");
        Assert.Equal(accepted.ContactKey, erased);
        var kept = await ContactWithHistoryAsync(harness, OtherWaId, "wamid.B");
        Assert.True(await RowsAsync(harness, StorageNames.OutboxTable, erased) > 0);

        var report = await EraseAsync(harness, erased, "dsr-a1");

        Assert.True(report.KeyShredded);
        Assert.Equal(2, report.Rows(ErasureStores.Messages));
        Assert.True(report.Rows(ErasureStores.Aliases) >= 1);
        Assert.Equal(1, report.WorkflowInstances);
        foreach (var table in new[] { StorageNames.ContactsTable, StorageNames.OutboxTable, StorageNames.KeysTable }.Concat(MessageTables.All))
        {
            Assert.Equal(0, await RowsAsync(harness, table, erased));
        }

        var directory = harness.Core.Get<ContactDirectory>();
        Assert.Null(await directory.LookupAliasAsync(directory.PhoneAlias(ConsentHarness.Phone), CancellationToken.None));
        Assert.Null(await harness.Core.Get<ContactKeyring>().GetAsync(erased, CancellationToken.None));
        Assert.True(await harness.Core.Get<ContactTombstones>().IsTombstonedAsync(erased, CancellationToken.None));
        Assert.True(await harness.Core.Get<ContactTombstones>().IsAliasSuppressedAsync(directory.PhoneAlias(ConsentHarness.Phone), CancellationToken.None));
        Assert.Equal(ConsentStatus.Withdrawn, (await harness.HeadAsync(erased)).Status);

        Assert.Equal(2, (await MessageRows.AllAsync(harness.Core.Get<StorageClients>(), kept)).Count);
        Assert.NotNull(await directory.GetAddressAsync(kept, CancellationToken.None));

        var audit = await harness.Core.Get<AuditLog>().VerifyAsync(CancellationToken.None);
        Assert.True(audit.Valid);
        Assert.Contains(await harness.Core.Get<AuditLog>().ForContactAsync(erased, CancellationToken.None), e => e.Action == "erasure.completed");
    }

    [Fact]
    public async Task Given_an_erased_contact_when_a_late_status_or_message_arrives_then_nothing_is_created_again()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var erased = await ContactWithHistoryAsync(harness, ConsentHarness.WaId, "wamid.L");
        await EraseAsync(harness, erased, "dsr-l1");

        var status = $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"4930901820","phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.L-OUT","status":"read","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","recipient_id":"{{{ConsentHarness.WaId}}}"}]}}]}]}""";
        await harness.DeliverAsync(status);
        await harness.DeliverAsync(ConsentHarness.Text("wamid.L-3", "Bin ich noch da?"));

        foreach (var table in new[] { StorageNames.ContactsTable, StorageNames.KeysTable }.Concat(MessageTables.All))
        {
            Assert.Equal(0, await RowsAsync(harness, table, erased));
        }

        Assert.Null(await harness.Core.Get<ContactDirectory>().FindByPhoneAsync(ConsentHarness.Phone, CancellationToken.None));
    }

    [Fact]
    public async Task Given_a_tombstoned_contact_the_consent_gate_refuses_every_send_before_any_row_is_deleted()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var contactKey = await ContactWithHistoryAsync(harness, ConsentHarness.WaId, "wamid.G");

        var sentBefore = harness.SentBodies.Count;
        await harness.Core.Get<ContactTombstones>().TombstoneAsync(contactKey, "dsr-g1", CancellationToken.None);
        var result = await harness.Core.Get<ConsentGuardedSender>().SendAsync(
            "service-1", contactKey, ConsentPurpose.Marketing, MessageKind.ServiceText, OutboundMessage.FromText("Hallo"), CancellationToken.None);

        Assert.False(result.Decision.Allowed);
        Assert.Equal(sentBefore, harness.SentBodies.Count);
        Assert.Equal(SendDecisionReason.ContactErased, result.Decision.Reason);
    }

    [Fact]
    public async Task Erasing_twice_with_the_same_request_is_one_erasure_and_a_second_request_finds_nothing_held()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var contactKey = await ContactWithHistoryAsync(harness, ConsentHarness.WaId, "wamid.T");
        await EraseAsync(harness, contactKey, "dsr-t1");
        var entries = (await harness.Core.Get<AuditLog>().VerifyAsync(CancellationToken.None)).Entries;

        await harness.Core.Get<ErasureService>().StartErasureAsync(contactKey, null, "web", "dsr-t1", null, CancellationToken.None);
        var again = await harness.Core.Get<ErasureService>().StartErasureAsync(null, ConsentHarness.Phone, "web", "dsr-t2", null, CancellationToken.None);

        Assert.Null(again);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(entries, (await harness.Core.Get<AuditLog>().VerifyAsync(CancellationToken.None)).Entries);
    }

    [Fact]
    public async Task Given_an_audit_chain_when_a_row_is_edited_then_verification_reports_where_it_breaks()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var audit = harness.Core.Get<AuditLog>();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(await audit.AppendAsync($"entry-{i}", "ck-" + i, "dsr-" + i, "test.step", "rows=" + i, CancellationToken.None));
        }

        Assert.False(await audit.AppendAsync("entry-2", "ck-2", "dsr-2", "test.step", "rows=2", CancellationToken.None));
        Assert.Equal(new AuditVerification(4, true, null), await audit.VerifyAsync(CancellationToken.None));

        var table = harness.Core.Get<StorageClients>().Table(StorageNames.AuditTable);
        var chain = audit.ShardOf("ck-2");
        long edited = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == AuditLog.Chain(chain)))
        {
            if (row.GetString("ContactKey") == "ck-2" && row.RowKey.StartsWith("e:", StringComparison.Ordinal))
            {
                row["Counts"] = "rows=0";
                edited = row.GetInt64("Sequence")!.Value;
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
            }
        }

        Assert.Equal(new AuditVerification(4, false, edited, chain), await audit.VerifyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Given_many_writers_for_different_contacts_when_they_append_at_once_then_every_entry_is_chained_once_and_the_chains_verify()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var audit = harness.Core.Get<AuditLog>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 64), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            Assert.True(await audit.AppendAsync($"busy-{i}", "ck-busy-" + (i % 32), null, "consent.changed", "", token));
            Assert.False(await audit.AppendAsync($"busy-{i}", "ck-busy-" + (i % 32), null, "consent.changed", "", token));
        });

        var verification = await audit.VerifyAsync(CancellationToken.None);
        Assert.Equal(new AuditVerification(64, true, null), verification);
        Assert.True(Enumerable.Range(0, 32).Select(i => audit.ShardOf("ck-busy-" + i)).Distinct().Count() > 1);
        Assert.Equal(2, (await audit.ForContactAsync("ck-busy-5", CancellationToken.None)).Count);
    }
}
