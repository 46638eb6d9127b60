using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Messages;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Tests.Webhooks;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Shared.Tests.Integration;

[Collection(AzuriteCollection.Name)]
public sealed class InboundProcessingTests(AzuriteFixture azurite)
{
    private static async Task<IngressStatus> AckAsync(CoreHarness core, byte[] body) =>
        await core.Get<WebhookIngress>().AcceptAsync(core.Signature.Sign(body), body, CancellationToken.None);

    private static async Task<List<TableEntity>> RowsAsync(CoreHarness core, string table) =>
        await core.Get<StorageClients>().Table(table).QueryAsync<TableEntity>().ToListAsync();

    [Fact]
    public async Task The_same_event_delivered_three_times_concurrently_has_one_effect()
    {
        var observer = new CountingObserver { Delay = TimeSpan.FromMilliseconds(200) };
        await using var core = await CoreHarness.StartAsync(azurite, s => s.AddSingleton<IInboundObserver>(observer));
        var body = WebhookParserTests.Fixture("text");

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => AckAsync(core, body)));
        var deliveries = await QueueDriver.ReceiveAllAsync(core.Get<StorageClients>());
        Assert.Equal(3, deliveries.Count);

        var processor = core.Get<InboundWebhookProcessor>();
        var outcomes = await Task.WhenAll(deliveries.Select(d => Task.Run(() => QueueDriver.ProcessAsync(processor, d.Envelope))));

        Assert.All(outcomes, o => Assert.Equal(ProcessingOutcome.Processed, o));
        Assert.Equal(1, observer.Messages["wamid.TEST-TEXT-0001"]);
        Assert.Single(await MessageRows.AllAsync(core.Get<StorageClients>()));
        // One profile; the contact's partition also records its alias, so erasure can find the alias row.
        Assert.Single(await RowsAsync(core, StorageNames.ContactsTable), r => r.RowKey == "profile");
        Assert.Single(await RowsAsync(core, StorageNames.AliasesTable));
    }

    [Fact]
    public async Task A_webhook_acknowledged_before_a_crash_is_processed_after_restart()
    {
        var settings = CoreHarness.NewSettings(azurite);
        await using (var beforeCrash = await CoreHarness.StartAsync(azurite, settings: settings))
        {
            Assert.Equal(IngressStatus.Accepted, await AckAsync(beforeCrash, WebhookParserTests.Fixture("text")));
            // The process dies here: nothing but the queue holds the webhook.
        }

        await using var afterRestart = await CoreHarness.StartAsync(azurite, settings: settings);
        var worker = ActivatorUtilities.CreateInstance<InboundQueueWorker>(afterRestart.Services);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(async () => (await MessageRows.AllAsync(afterRestart.Get<StorageClients>())).Count == 1);
            await Eventually.TrueAsync(async () => (await afterRestart.Get<StorageClients>().Queue(StorageNames.InboundQueue).PeekMessagesAsync()).Value.Length == 0);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_worker_that_died_before_committing_an_event_leaves_it_to_the_next_delivery_at_once()
    {
        // The first delivery dies inside the event's effects: nothing marks the event as taken, so the redelivery
        // neither waits for a lease nor finds it done; it applies the effects and commits.
        var observer = new CountingObserver { FailuresLeft = 1 };
        await using var core = await CoreHarness.StartAsync(azurite, s => s.AddSingleton<IInboundObserver>(observer));
        await AckAsync(core, WebhookParserTests.Fixture("text"));
        var delivery = Assert.Single(await QueueDriver.ReceiveAllAsync(core.Get<StorageClients>()));
        var processor = core.Get<InboundWebhookProcessor>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync(delivery.Envelope, 1, CancellationToken.None));
        Assert.Empty(await MessageRows.AllAsync(core.Get<StorageClients>()));

        Assert.Equal(ProcessingOutcome.Processed, await processor.ProcessAsync(delivery.Envelope, 2, CancellationToken.None));
        Assert.Equal(1, observer.Messages["wamid.TEST-TEXT-0001"]);
        Assert.Single(await MessageRows.AllAsync(core.Get<StorageClients>()));
    }

    [Fact]
    public async Task A_signed_body_that_is_not_json_is_acknowledged_parked_and_replayable()
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var body = "this is not json, but it is signed"u8.ToArray();
        Assert.Equal(IngressStatus.Accepted, await AckAsync(core, body));

        var delivery = Assert.Single(await QueueDriver.ReceiveAllAsync(core.Get<StorageClients>()));
        Assert.Equal(ProcessingOutcome.Parked, await core.Get<InboundWebhookProcessor>().ProcessAsync(delivery.Envelope, 1, CancellationToken.None));

        var parkedStore = core.Get<ParkedWebhookStore>();
        var parked = Assert.Single(await parkedStore.ListAsync(10, CancellationToken.None));
        Assert.Equal(WebhookEnvelope.IdOf(body), parked.Id);
        Assert.Equal("Body is not valid JSON.", parked.Reason);

        Assert.True(await parkedStore.ReplayAsync(parked.Id, CancellationToken.None));
        var replayed = Assert.Single(await QueueDriver.ReceiveAllAsync(core.Get<StorageClients>()));
        Assert.Equal(body, await core.Get<WebhookBodyStore>().LoadAsync(replayed.Envelope.Id, replayed.Envelope.BodyBlob!, CancellationToken.None));
        Assert.Equal(1, (await parkedStore.GetAsync(parked.Id, CancellationToken.None))!.ReplayCount);
        Assert.Equal(1, replayed.Envelope.Replay);
        Assert.NotEqual(parked.Id, replayed.Envelope.DeduplicationId);
    }

    [Fact]
    public async Task A_webhook_is_never_parked_for_storage_being_away_however_often_that_repeats_and_is_applied_once_storage_answers()
    {
        var observer = new CountingObserver
        {
            FailuresLeft = InboundWebhookProcessor.MaxAttempts + 2,
            Failure = () => new AggregateException(new Azure.RequestFailedException(503, "Service unavailable"), new HttpRequestException("Connection refused")),
        };
        await using var core = await CoreHarness.StartAsync(azurite, s => s.AddSingleton<IInboundObserver>(observer));
        var processor = core.Get<InboundWebhookProcessor>();
        await AckAsync(core, WebhookParserTests.Fixture("text"));
        var delivery = Assert.Single(await QueueDriver.ReceiveAllAsync(core.Get<StorageClients>()));

        for (var attempt = 1; attempt <= InboundWebhookProcessor.MaxAttempts + 2; attempt++)
        {
            await Assert.ThrowsAsync<AggregateException>(() => processor.ProcessAsync(delivery.Envelope, attempt, CancellationToken.None));
        }

        Assert.Equal(ProcessingOutcome.Processed, await processor.ProcessAsync(delivery.Envelope, InboundWebhookProcessor.MaxAttempts + 3, CancellationToken.None));
        Assert.Empty(await core.Get<ParkedWebhookStore>().ListAsync(10, CancellationToken.None));
        Assert.Equal(1, observer.Messages["wamid.TEST-TEXT-0001"]);
    }

    [Fact]
    public async Task A_webhook_whose_processing_keeps_failing_is_parked_and_succeeds_on_replay_once_fixed()
    {
        var observer = new CountingObserver { FailuresLeft = InboundWebhookProcessor.MaxAttempts };
        await using var core = await CoreHarness.StartAsync(azurite, s => s.AddSingleton<IInboundObserver>(observer));
        var processor = core.Get<InboundWebhookProcessor>();
        await AckAsync(core, WebhookParserTests.Fixture("text"));
        var delivery = Assert.Single(await QueueDriver.ReceiveAllAsync(core.Get<StorageClients>()));

        for (var attempt = 1; attempt < InboundWebhookProcessor.MaxAttempts; attempt++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync(delivery.Envelope, attempt, CancellationToken.None));
        }

        Assert.Equal(ProcessingOutcome.Parked, await processor.ProcessAsync(delivery.Envelope, InboundWebhookProcessor.MaxAttempts, CancellationToken.None));
        var parked = Assert.Single(await core.Get<ParkedWebhookStore>().ListAsync(10, CancellationToken.None));
        Assert.Contains("InvalidOperationException", parked.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Blau", parked.Reason, StringComparison.Ordinal);

        await core.Get<ParkedWebhookStore>().ReplayAsync(parked.Id, CancellationToken.None);
        var replay = Assert.Single(await QueueDriver.ReceiveAllAsync(core.Get<StorageClients>()));
        var replayOutcome = await processor.ProcessAsync(replay.Envelope, 1, CancellationToken.None);
        Assert.True(replayOutcome == ProcessingOutcome.Processed, string.Join(";", (await core.Get<ParkedWebhookStore>().ListAsync(10, CancellationToken.None)).Select(p => p.Reason)));
        Assert.Equal(1, observer.Messages["wamid.TEST-TEXT-0001"]);
        Assert.Empty(await core.Get<ParkedWebhookStore>().ListAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task A_three_megabyte_webhook_travels_by_claim_check_and_its_body_is_removed_after_processing()
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var filler = new string('x', 3_000_000);
        var body = System.Text.Encoding.UTF8.GetBytes(
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"4915112345678","id":"wamid.BIG","timestamp":"1763900000","type":"text","text":{"body":"{{{filler}}}"}}]}}]}]}""");
        await AckAsync(core, body);

        var delivery = Assert.Single(await QueueDriver.ReceiveAllAsync(core.Get<StorageClients>()));
        Assert.Null(delivery.Envelope.InlineBody);
        Assert.NotNull(delivery.Envelope.BodyBlob);
        Assert.Equal(ProcessingOutcome.Processed, await core.Get<InboundWebhookProcessor>().ProcessAsync(delivery.Envelope, 1, CancellationToken.None));
        Assert.Null(await core.Get<WebhookBodyStore>().LoadAsync(delivery.Envelope.Id, delivery.Envelope.BodyBlob!, CancellationToken.None));
        Assert.Single(await MessageRows.AllAsync(core.Get<StorageClients>()));
    }

    [Fact]
    public async Task Statuses_delivered_out_of_order_and_twice_never_downgrade()
    {
        var observer = new CountingObserver();
        await using var core = await CoreHarness.StartAsync(azurite, s => s.AddSingleton<IInboundObserver>(observer));
        var processor = core.Get<InboundWebhookProcessor>();
        var statuses = WebhookParser.Parse(WebhookParserTests.Fixture("statuses")).Cast<StatusUpdate>().ToList();
        string Single(StatusUpdate s) =>
            $$$"""{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"statuses":[{"id":"{{{s.MessageId}}}","status":"{{{s.Status}}}","timestamp":"{{{s.Timestamp.ToUnixTimeSeconds()}}}","recipient_id":"{{{s.RecipientWaId}}}"}]}}]}]}""";

        foreach (var status in new[] { statuses[2], statuses[0], statuses[1], statuses[0] })
        {
            var body = System.Text.Encoding.UTF8.GetBytes(Single(status));
            await processor.ProcessAsync(new WebhookEnvelope(WebhookEnvelope.IdOf(body), DateTimeOffset.UtcNow, body, null), 1, CancellationToken.None);
        }

        var contactKey = await core.Get<ContactDirectory>().ResolveInboundAsync("4915112345678", null, null, null, CancellationToken.None) ?? throw new InvalidOperationException("Not resolved.");
        var row = await core.Get<MessageStore>().GetAsync(contactKey, "wamid.TEST-OUT-0001", CancellationToken.None);
        Assert.Equal("read", row!.GetString("Status"));
        Assert.NotNull(row.GetDateTimeOffset("SentStatusAt"));
        Assert.NotNull(row.GetDateTimeOffset("DeliveredAt"));
        Assert.Equal(1, observer.Statuses["s:wamid.TEST-OUT-0001:sent"]);
    }

    [Fact]
    public async Task Every_documented_payload_is_processed_without_parking()
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var processor = core.Get<InboundWebhookProcessor>();
        foreach (var name in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Webhooks"), "*.json").Select(Path.GetFileNameWithoutExtension))
        {
            var body = WebhookParserTests.Fixture(name!);
            var outcome = await processor.ProcessAsync(new WebhookEnvelope(WebhookEnvelope.IdOf(body), DateTimeOffset.UtcNow, body, null), 1, CancellationToken.None);
            Assert.Equal(ProcessingOutcome.Processed, outcome);
        }

        Assert.Empty(await core.Get<ParkedWebhookStore>().ListAsync(10, CancellationToken.None));
        // Only what no feature handles yet is kept apart: the account error and a group status that names no member.
        Assert.Equal(["errors", "group_statuses"], (await RowsAsync(core, StorageNames.UnhandledTable)).Select(r => r.PartitionKey).Order(StringComparer.Ordinal));
        Assert.Equal(3, (await RowsAsync(core, StorageNames.TemplatesTable)).Count);
    }

    [Fact]
    public async Task A_group_status_is_filed_under_the_member_and_the_group_becomes_no_contact()
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var body = WebhookParserTests.Fixture("group_statuses");
        await core.Get<InboundWebhookProcessor>().ProcessAsync(new WebhookEnvelope(WebhookEnvelope.IdOf(body), DateTimeOffset.UtcNow, body, null), 1, CancellationToken.None);

        var directory = core.Get<ContactDirectory>();
        var member = await directory.FindInboundAsync("4915112345678", "DE.13491208655302741918", CancellationToken.None);
        Assert.NotNull(member);
        Assert.Null(await directory.FindInboundAsync("Y2FwaV9ncm91cDo0OTMwOTAxODIwOjEyMDM2MzQwMDExMjIzMzQ0", null, CancellationToken.None));
        // One contact: its partition holds the profile and the rows erasure and retention keep beside it.
        Assert.Equal([member], (await RowsAsync(core, StorageNames.ContactsTable)).Select(r => r.PartitionKey).Distinct());
        Assert.Equal("read", (await core.Get<MessageStore>().GetAsync(member, "wamid.TEST-GROUP-0001", CancellationToken.None))!.GetString("Status"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_edit_replaces_the_text_of_the_original_and_a_revoke_removes_it_whatever_the_order(bool editFirst)
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var processor = core.Get<InboundWebhookProcessor>();
        async Task DeliverAsync(string fixture)
        {
            var body = WebhookParserTests.Fixture(fixture);
            Assert.Equal(ProcessingOutcome.Processed, await processor.ProcessAsync(new WebhookEnvelope(WebhookEnvelope.IdOf(body), DateTimeOffset.UtcNow, body, null), 1, CancellationToken.None));
        }

        foreach (var fixture in editFirst ? new[] { "edit", "text" } : ["text", "edit"])
        {
            await DeliverAsync(fixture);
        }

        var contactKey = (await core.Get<ContactDirectory>().FindInboundAsync("4915112345678", null, CancellationToken.None))!;
        var keyring = core.Get<ContactKeyring>();
        var edited = (await core.Get<MessageStore>().GetAsync(contactKey, "wamid.TEST-TEXT-0001", CancellationToken.None))!;
        Assert.Equal("Gibt es das auch in Grün?", await keyring.OpenAsync(contactKey, "text", edited.GetBinary("Text"), CancellationToken.None));
        Assert.Single(await MessageRows.AllAsync(core.Get<StorageClients>()));

        await DeliverAsync("revoke");
        await DeliverAsync("edit");
        var revoked = (await core.Get<MessageStore>().GetAsync(contactKey, "wamid.TEST-TEXT-0001", CancellationToken.None))!;
        Assert.NotNull(revoked.GetDateTimeOffset("RevokedAt"));
        Assert.Null(revoked.GetBinary("Text"));
        Assert.Null(revoked.GetBinary("Raw"));
        Assert.Single(await MessageRows.AllAsync(core.Get<StorageClients>()));
    }

    [Fact]
    public async Task Template_changes_are_stored_per_aspect_handed_to_observers_and_a_late_older_one_changes_nothing()
    {
        var observer = new RecordingTemplateObserver();
        await using var core = await CoreHarness.StartAsync(azurite, s => s.AddSingleton<Templates.ITemplateObserver>(observer));
        var processor = core.Get<InboundWebhookProcessor>();
        async Task DeliverAsync(string json)
        {
            var body = System.Text.Encoding.UTF8.GetBytes(json);
            await processor.ProcessAsync(new WebhookEnvelope(WebhookEnvelope.IdOf(body), DateTimeOffset.UtcNow, body, null), 1, CancellationToken.None);
        }

        string Status(string status, long at) =>
            $$$"""{"entry":[{"id":"1","time":{{{at}}},"changes":[{"field":"message_template_status_update","value":{"event":"{{{status}}}","message_template_id":42,"message_template_name":"angebot","message_template_language":"de","reason":"NONE"}}]}]}""";

        await DeliverAsync(Status("APPROVED", 1_763_900_000));
        await DeliverAsync(Status("PAUSED", 1_763_900_100));
        await DeliverAsync(Status("APPROVED", 1_763_900_000));
        await DeliverAsync(System.Text.Encoding.UTF8.GetString(WebhookParserTests.Fixture("template_quality")).Replace("1689556908129832", "42", StringComparison.Ordinal));

        var state = (await core.Get<Templates.TemplateStore>().GetAsync("42", CancellationToken.None))!;
        Assert.Equal(("PAUSED", "YELLOW", false), (state.Status, state.Quality, state.IsSendable));
        Assert.Equal(4, observer.Changes.Count);
        Assert.Equal("PAUSED", observer.Changes[^1].Status);
    }

    private sealed class RecordingTemplateObserver : Templates.ITemplateObserver
    {
        public List<Templates.TemplateState> Changes { get; } = [];

        public Task OnTemplateChangedAsync(Templates.TemplateState state, TemplateUpdate update, CancellationToken cancellationToken)
        {
            lock (Changes)
            {
                Changes.Add(state);
            }

            return Task.CompletedTask;
        }
    }


    [Fact]
    public async Task Personal_data_is_stored_only_encrypted()
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var body = WebhookParserTests.Fixture("text");
        await core.Get<InboundWebhookProcessor>().ProcessAsync(new WebhookEnvelope(WebhookEnvelope.IdOf(body), DateTimeOffset.UtcNow, body, null), 1, CancellationToken.None);

        foreach (var table in StorageNames.Tables)
        {
            foreach (var row in await RowsAsync(core, table))
            {
                var dump = string.Join("|", row.Keys.Select(k => $"{k}={row[k]}")) + row.PartitionKey + row.RowKey;
                Assert.DoesNotContain("4915112345678", dump, StringComparison.Ordinal);
                Assert.DoesNotContain("Erika", dump, StringComparison.Ordinal);
                Assert.DoesNotContain("Blau", dump, StringComparison.Ordinal);
                Assert.DoesNotContain("TEST-TEXT", dump, StringComparison.Ordinal);
            }
        }
    }
}
