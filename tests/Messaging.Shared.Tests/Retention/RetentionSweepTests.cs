using Azure.Data.Tables;
using Messaging.Shared.Inbox;
using Messaging.Shared.Messages;
using Messaging.Shared.Privacy.Audit;
using Messaging.Shared.Retention;
using Messaging.Shared.Retention.Api;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Webhooks;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Messaging.Shared.Tests.Retention;

[Collection(AzuriteCollection.Name)]
public sealed class RetentionSweepTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_due_inbox_row_is_deleted_and_one_younger_than_its_retention_is_kept()
    {
        var (core, clock) = await StartAsync();
        await using var _ = core;
        var inbox = core.Get<InboxGuard>();
        await inbox.ClaimAsync("old-event", CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(1));
        await inbox.ClaimAsync("young-event", CancellationToken.None);

        // Given 14 days of retention, one second before the young row is due: the old row is due, the young one is not.
        clock.SetUtcNow(T0 + TimeSpan.FromDays(15) - TimeSpan.FromSeconds(1));
        var sweep = await SweepAsync(core);

        Assert.Null(await RowAsync(core, StorageNames.InboxTable, inbox.KeyOf("old-event"), "event"));
        Assert.NotNull(await RowAsync(core, StorageNames.InboxTable, inbox.KeyOf("young-event"), "event"));
        Assert.Equal(RetentionSweep.Completed, sweep.Status);
        var inboxClass = Assert.Single(sweep.Classes, c => c.Name == "Inbox");
        Assert.Equal("P14D", inboxClass.Retention);
        Assert.Equal(1, inboxClass.Deleted);
    }

    [Fact]
    public async Task A_finished_sweep_is_one_entry_of_the_hash_chained_audit_log_with_each_class_period_and_count_and_no_contact()
    {
        var (core, clock) = await StartAsync();
        await using var _ = core;
        await core.Get<InboxGuard>().ClaimAsync("old-event", CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(20));

        var sweep = await SweepAsync(core);

        var entries = (await RowsAsync(core.Get<StorageClients>().Table(StorageNames.AuditTable)))
            .Where(r => r.GetString("Action") is { } action && action.StartsWith(AuditLogSweepAudit.Action, StringComparison.Ordinal))
            .ToList();
        var entry = Assert.Single(entries);
        Assert.Equal("retention.sweep.completed", entry.GetString("Action"));
        Assert.Equal(sweep.SweepId, entry.GetString("RequestId"));
        Assert.Null(entry.GetString("ContactKey"));
        Assert.Contains("Inbox=1@P14D", entry.GetString("Counts"), StringComparison.Ordinal);
        Assert.True((await core.Get<AuditLog>().VerifyAsync(CancellationToken.None)).Valid);
    }

    [Fact]
    public async Task On_the_cutoff_day_a_row_due_by_the_hour_is_deleted_and_a_later_one_of_the_same_day_is_kept_with_its_index_row()
    {
        var (core, clock) = await StartAsync();
        await using var _ = core;
        var inbox = core.Get<InboxGuard>();
        await inbox.ClaimAsync("early", CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(2));
        await inbox.ClaimAsync("late", CancellationToken.None);

        // Given 14 days of retention and a cutoff one hour after the early row, on the same day as both rows.
        clock.SetUtcNow(T0 + TimeSpan.FromDays(14) + TimeSpan.FromHours(1));
        await SweepAsync(core);

        Assert.Null(await RowAsync(core, StorageNames.InboxTable, inbox.KeyOf("early"), "event"));
        Assert.NotNull(await RowAsync(core, StorageNames.InboxTable, inbox.KeyOf("late"), "event"));

        // And the day's index table stays, holding the late row alone, so the next day's sweep deletes it.
        var day = Assert.Single(await core.Get<RetentionIndex>().DayTablesAsync(RetentionClasses.Inbox, CancellationToken.None));
        Assert.Single(await RowsAsync(core.Get<StorageClients>().Table(day.Table)));
        clock.Advance(TimeSpan.FromDays(1));
        await SweepAsync(core);
        Assert.Empty(await RowsAsync(core.Get<StorageClients>().Table(StorageNames.InboxTable)));
        Assert.Empty(await core.Get<RetentionIndex>().DayTablesAsync(RetentionClasses.Inbox, CancellationToken.None));
    }

    [Fact]
    public async Task Many_due_rows_of_one_partition_go_in_entity_group_batches_and_every_one_is_deleted_also_from_the_legacy_messages_table()
    {
        var (core, clock) = await StartAsync();
        await using var _ = core;
        var messages = core.Get<StorageClients>().Table(StorageNames.MessagesTable);
        var index = core.Get<RetentionIndex>();
        for (var i = 0; i < 250; i++)
        {
            await index.NoteAsync(RetentionClasses.Messages, StorageNames.MessagesTable, "contact-a", $"m-{i:000}", clock.GetUtcNow(), CancellationToken.None);
            await messages.AddEntityAsync(new TableEntity("contact-a", $"m-{i:000}"));
        }

        clock.Advance(TimeSpan.FromDays(181));
        var sweep = await SweepAsync(core);

        Assert.Empty(await RowsAsync(messages));
        Assert.Empty(await index.DayTablesAsync(RetentionClasses.Messages, CancellationToken.None));
        Assert.Equal(250, sweep.Classes.Single(c => c.Name == "Messages").Deleted);
    }

    [Fact]
    public async Task A_message_stored_in_its_contacts_shard_table_is_indexed_under_that_table_and_swept_from_it()
    {
        var (core, clock) = await StartAsync();
        await using var _ = core;
        var store = core.Get<MessageStore>();
        var message = new InboundMessage("106540352242922", "wamid.SHARD-1", "4915112345678", null, clock.GetUtcNow(), "text", "Hallo", null, null, null, null, null, [], "{}");
        Assert.True(await store.StoreInboundAsync("contact-1", message, CancellationToken.None));
        var shard = core.Get<StorageClients>().Table(MessageTables.Of("contact-1"));
        Assert.Single(await RowsAsync(shard));
        var day = Assert.Single(await core.Get<RetentionIndex>().DayTablesAsync(RetentionClasses.Messages, CancellationToken.None));
        Assert.Equal(MessageTables.Of("contact-1"), Assert.Single(await RowsAsync(core.Get<StorageClients>().Table(day.Table))).GetString(RetentionIndex.TableColumn));

        clock.Advance(TimeSpan.FromDays(181));
        var sweep = await SweepAsync(core);

        Assert.Empty(await RowsAsync(shard));
        Assert.Equal(1, sweep.Classes.Single(c => c.Name == "Messages").Deleted);
    }

    [Fact]
    public async Task An_edit_whose_original_never_arrives_leaves_a_row_that_retention_still_deletes()
    {
        var (core, clock) = await StartAsync();
        await using var _ = core;
        var store = core.Get<MessageStore>();
        var edit = new InboundMessage("106540352242922", "wamid.EDIT-1", "4915112345678", null, clock.GetUtcNow(), "edit", "Hallo, korrigiert", null, null, null, null, null, [], "{}")
        {
            OriginalMessageId = "wamid.ORIGINAL-1",
        };
        Assert.Equal("edited", await store.ApplyRevisionAsync("contact-1", edit, CancellationToken.None));
        var shard = core.Get<StorageClients>().Table(MessageTables.Of("contact-1"));
        Assert.Single(await RowsAsync(shard));

        clock.Advance(TimeSpan.FromDays(181));
        var sweep = await SweepAsync(core);

        Assert.Empty(await RowsAsync(shard));
        Assert.Equal(1, sweep.Classes.Single(c => c.Name == "Messages").Deleted);
    }

    [Fact]
    public async Task A_sweep_killed_while_holding_the_lease_resumes_after_the_lease_expires_and_finishes_the_rows_it_left()
    {
        var (core, clock) = await StartAsync();
        await using var _ = core;
        var inbox = core.Get<InboxGuard>();
        foreach (var id in new[] { "e1", "e2", "e3" })
        {
            await inbox.ClaimAsync(id, CancellationToken.None);
        }

        clock.Advance(TimeSpan.FromDays(20));
        var store = core.Get<RetentionSweepStore>();
        var sweeper = core.Get<RetentionSweeper>();
        var sweep = sweeper.NewSweep("killed");
        await store.CreateAsync(sweep, CancellationToken.None);

        // Given the first run took the lease, deleted one target and died before deleting its index row.
        Assert.NotNull(await store.TryAcquireAsync("killed", CancellationToken.None));
        await inbox.ReleaseAsync("e1", CancellationToken.None);

        Assert.False(await sweeper.RunAsync("killed", CancellationToken.None));
        clock.Advance(RetentionSweepStore.LeaseDuration + TimeSpan.FromSeconds(1));
        Assert.True(await sweeper.RunAsync("killed", CancellationToken.None));

        Assert.Empty(await RowsAsync(core.Get<StorageClients>().Table(StorageNames.InboxTable)));
        var finished = await core.Get<RetentionSweepOperations>().GetAsync("killed", CancellationToken.None);
        Assert.Equal(RetentionSweep.Completed, finished!.Status);
        Assert.NotNull(finished.FinishedAt);
        // Azurite, unlike Azure, accepts a batch delete of a row that is gone, so the count may include e1: at least the two.
        Assert.InRange(finished.Classes.Single(c => c.Name == "Inbox").Deleted, 2, 3);
    }

    [Fact]
    public async Task A_second_sweep_neither_runs_nor_deletes_while_the_first_holds_the_lease_and_a_second_request_joins_the_first()
    {
        var (core, clock) = await StartAsync();
        await using var _ = core;
        await core.Get<InboxGuard>().ClaimAsync("due", CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(20));
        var store = core.Get<RetentionSweepStore>();
        var sweeper = core.Get<RetentionSweeper>();
        await store.CreateAsync(sweeper.NewSweep("first"), CancellationToken.None);
        await store.CreateAsync(sweeper.NewSweep("second"), CancellationToken.None);
        Assert.NotNull(await store.TryAcquireAsync("first", CancellationToken.None));

        Assert.False(await sweeper.RunAsync("second", CancellationToken.None));
        Assert.Single(await RowsAsync(core.Get<StorageClients>().Table(StorageNames.InboxTable)));
        Assert.Equal("first", (await core.Get<RetentionSweepOperations>().StartAsync(CancellationToken.None)).SweepId);
        Assert.Equal(RetentionSweep.Running, (await store.GetAsync("second", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_workflow_started_again_after_it_finished_is_not_deleted_while_it_runs()
    {
        var (core, clock) = await StartAsync();
        await using var _ = core;
        var registry = core.Get<WorkflowRegistry>();
        var finished = new WorkflowInstance("test", "contact-w", "finished");
        var restarted = new WorkflowInstance("test", "contact-w", "restarted");
        await registry.RecordAsync(finished, WorkflowStatus.Completed, clock.GetUtcNow(), CancellationToken.None);
        await registry.RecordAsync(restarted, WorkflowStatus.Completed, clock.GetUtcNow(), CancellationToken.None);
        await registry.RecordAsync(restarted, WorkflowStatus.Running, clock.GetUtcNow(), CancellationToken.None);

        clock.Advance(TimeSpan.FromDays(31));
        await SweepAsync(core);

        var left = await registry.ListAsync("contact-w", CancellationToken.None);
        Assert.Equal("restarted", Assert.Single(left).Instance.InstanceId);
    }

    [Fact]
    public async Task An_opt_in_token_counts_its_retention_from_expiry_not_from_creation()
    {
        var (core, clock) = await StartAsync();
        await using var _ = core;
        var index = core.Get<RetentionIndex>();
        var tokens = core.Get<StorageClients>().Table(StorageNames.OptInTokensTable);
        var expiresAt = clock.GetUtcNow() + TimeSpan.FromDays(30);
        await index.NoteAsync(RetentionClasses.OptInTokens, StorageNames.OptInTokensTable, "token-1", "token", expiresAt, CancellationToken.None);
        await tokens.AddEntityAsync(new TableEntity("token-1", "token"));

        clock.Advance(TimeSpan.FromDays(36));
        await SweepAsync(core);
        Assert.Single(await RowsAsync(tokens));

        clock.Advance(TimeSpan.FromDays(2));
        await SweepAsync(core);
        Assert.Empty(await RowsAsync(tokens));
    }

    private async Task<(CoreHarness Core, FakeTimeProvider Clock)> StartAsync()
    {
        var clock = new FakeTimeProvider(T0);
        var core = await CoreHarness.StartAsync(azurite, services => services.AddSingleton<TimeProvider>(clock).AddSingleton<WorkflowRegistry>());
        return (core, clock);
    }

    private static async Task<RetentionSweepResponse> SweepAsync(CoreHarness core)
    {
        var operations = core.Get<RetentionSweepOperations>();
        var sweepId = (await operations.StartAsync(CancellationToken.None)).SweepId;
        var message = (await core.Get<StorageClients>().Queue(StorageNames.RetentionSweepsQueue).ReceiveMessageAsync()).Value;
        Assert.Null(await operations.HandleAsync(message.Body.ToString(), message.DequeueCount, CancellationToken.None));
        await core.Get<StorageClients>().Queue(StorageNames.RetentionSweepsQueue).DeleteMessageAsync(message.MessageId, message.PopReceipt);
        return (await operations.GetAsync(sweepId, CancellationToken.None))!;
    }

    private static async Task<TableEntity?> RowAsync(CoreHarness core, string table, string partitionKey, string rowKey)
    {
        var row = await core.Get<StorageClients>().Table(table).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey);
        return row.HasValue ? row.Value : null;
    }

    private static async Task<List<TableEntity>> RowsAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }
}
