using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Consent;
using Messaging.Shared.Conversations;
using Messaging.Shared.Events;
using Messaging.Shared.Privacy;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Conversations;
using Messaging.Shared.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Messaging.Shared.Tests.Events;

[Collection(AzuriteCollection.Name)]
public sealed class EventsOutTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Key);
    private readonly WireMockServer _receiver = WireMockServer.Start();
    private readonly WireMockServer _graph = GraphStub.Start();

    public void Dispose()
    {
        _receiver.Stop();
        _graph.Stop();
    }

    private async Task<CoreHarness> StartAsync(TimeProvider? time = null, params (string Path, string[] Types, bool Content)[] subscriptions)
    {
        var settings = Consent.Integration.ConsentHarness.Settings(azurite);
        settings["Meta:GraphApiBaseUrl"] = _graph.Url;
        for (var i = 0; i < subscriptions.Length; i++)
        {
            settings[$"Events:Subscriptions:{i}:Url"] = _receiver.Url + subscriptions[i].Path;
            settings[$"Events:Subscriptions:{i}:Secret"] = Secret;
            settings[$"Events:Subscriptions:{i}:IncludeContent"] = subscriptions[i].Content ? "true" : "false";
            for (var t = 0; t < subscriptions[i].Types.Length; t++)
            {
                settings[$"Events:Subscriptions:{i}:Types:{t}"] = subscriptions[i].Types[t];
            }
        }

        return await CoreHarness.StartAsync(azurite, (services, configuration) =>
        {
            if (time is not null)
            {
                services.Replace(ServiceDescriptor.Singleton(time));
            }

            services.AddConsent(configuration);
            services.AddPrivacy(configuration);
            services.AddConversations(configuration);
        }, settings);
    }

    private void Answer(int status, string? bodyPattern = null, int priority = 10)
    {
        var request = Request.Create().UsingPost();
        if (bodyPattern is not null)
        {
            request = request.WithBody(new RegexMatcher(bodyPattern));
        }

        _receiver.Given(request).AtPriority(priority).RespondWith(Response.Create().WithStatusCode(status));
    }

    private static Task AppendAsync(CoreHarness core, string contactKey, int n) =>
        core.Get<EventOutbox>().AppendAsync(contactKey, $"change-{n}", EventTypes.MessageReceived, DateTimeOffset.UnixEpoch.AddSeconds(n),
            new Dictionary<string, object?> { ["contactKey"] = contactKey, ["n"] = n }, null, CancellationToken.None);

    /// <summary>What a receiver following the Standard Webhooks specification computes, written here independently.</summary>
    private static bool SignatureIsValid(ILogEntry entry)
    {
        var headers = entry.RequestMessage.Headers!;
        var id = headers["webhook-id"].Single();
        var timestamp = headers["webhook-timestamp"].Single();
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(entry.RequestMessage.BodyAsBytes!).ToArray();
        var expected = "v1," + Convert.ToBase64String(new HMACSHA256(Key).ComputeHash(signed));
        return headers["webhook-signature"].Single().Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(s), Encoding.UTF8.GetBytes(expected)));
    }

    private static JsonObject Body(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!.AsObject();

    [Fact]
    public async Task Events_reach_the_receiver_signed_and_in_order_per_contact()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.MessageReceived], false));
        for (var n = 1; n <= 5; n++)
        {
            await AppendAsync(core, "contact-a", n);
            await AppendAsync(core, "contact-b", 100 + n);
        }

        var worker = ActivatorUtilities.CreateInstance<LocalHost.Events.EventDeliveryWorker>(core.Services);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(_receiver.LogEntries.Count >= 10), TimeSpan.FromSeconds(60));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        var entries = _receiver.LogEntries.ToList();
        Assert.All(entries, e => Assert.True(SignatureIsValid(e), "signature"));
        Assert.All(entries, e => Assert.Equal(EventTypes.MessageReceived, Body(e)["type"]!.GetValue<string>()));
        int[] FirstSeen(string contactKey) => entries.Select(Body).Where(b => b["data"]!["contactKey"]!.GetValue<string>() == contactKey)
            .Select(b => b["data"]!["n"]!.GetValue<int>()).Distinct().ToArray();
        Assert.Equal([1, 2, 3, 4, 5], FirstSeen("contact-a"));
        Assert.Equal([101, 102, 103, 104, 105], FirstSeen("contact-b"));
        Assert.Equal(10, entries.Select(e => e.RequestMessage.Headers!["webhook-id"].Single()).Distinct().Count());
    }

    [Fact]
    public async Task A_repeated_follow_up_of_the_same_change_is_one_event()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.MessageReceived], false));

        await AppendAsync(core, "contact-a", 1);
        await AppendAsync(core, "contact-a", 1);
        await core.Get<EventDispatcher>().DeliverAsync("contact-a", CancellationToken.None);

        Assert.Single(_receiver.LogEntries);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_back_off_and_after_24_hours_the_event_is_parked_and_the_next_one_goes()
    {
        Answer(500, "\"n\":1[,}]", priority: 1);
        Answer(200);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var core = await StartAsync(time, ("/crm", [EventTypes.MessageReceived], false));
        await AppendAsync(core, "contact-a", 1);
        await AppendAsync(core, "contact-a", 2);
        var dispatcher = core.Get<EventDispatcher>();

        var wait = await dispatcher.DeliverAsync("contact-a", CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.Single(_receiver.LogEntries);

        // Before the back-off ends nothing is sent; the event behind the failing one waits (order per contact).
        Assert.NotNull(await dispatcher.DeliverAsync("contact-a", CancellationToken.None));
        Assert.Single(_receiver.LogEntries);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), await dispatcher.DeliverAsync("contact-a", CancellationToken.None));
        Assert.Equal(2, _receiver.LogEntries.Count);
        Assert.All(_receiver.LogEntries, e => Assert.Equal(1, Body(e)["data"]!["n"]!.GetValue<int>()));

        time.Advance(TimeSpan.FromHours(24));
        Assert.Null(await dispatcher.DeliverAsync("contact-a", CancellationToken.None));

        var entries = _receiver.LogEntries.ToList();
        Assert.Equal(2, Body(entries[^1])["data"]!["n"]!.GetValue<int>());
        var parked = await core.Get<StorageClients>().Table(StorageNames.ParkedEventsTable).QueryAsync<TableEntity>().ToListAsync();
        var row = Assert.Single(parked);
        Assert.Equal("contact-a", row.GetString("ContactKey"));
        Assert.Equal(1, row.GetInt64("Sequence"));
        // Delivered and parked events leave the outbox.
        Assert.Empty(await StoredEventsAsync(core, "contact-a"));
    }

    [Fact]
    public async Task Two_processes_appending_for_one_contact_and_an_erasure_in_between_keep_sequence_numbers_distinct_and_ordered()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.MessageReceived], false));
        var first = core.Get<EventOutbox>();
        var second = OtherProcess(core);
        Task Append(EventOutbox outbox, int n) => outbox.AppendAsync("contact-a", $"change-{n}", EventTypes.MessageReceived, DateTimeOffset.UnixEpoch.AddSeconds(n),
            new Dictionary<string, object?> { ["contactKey"] = "contact-a", ["n"] = n }, null, CancellationToken.None);

        await Append(first, 1);
        await Append(second, 2);
        await Append(first, 3);
        await second.DeleteContactAsync("contact-a", CancellationToken.None);
        await Append(first, 4);
        await Append(second, 5);
        await core.Get<EventDispatcher>().DeliverAsync("contact-a", CancellationToken.None);

        Assert.Equal([4, 5], _receiver.LogEntries.Select(e => Body(e)["data"]!["n"]!.GetValue<int>()));
    }

    /// <summary>The outbox of another process: its own cache of heads (and dispatcher for in-line deliveries).</summary>
    private static EventOutbox OtherProcess(CoreHarness core)
    {
        var heads = new EventHeads();
        return ActivatorUtilities.CreateInstance<EventOutbox>(core.Services, heads, ActivatorUtilities.CreateInstance<EventDispatcher>(core.Services, heads));
    }

    private static async Task<int> NudgesQueuedAsync(CoreHarness core) =>
        (await core.Get<StorageClients>().Queue(StorageNames.EventsOutQueue).PeekMessagesAsync(32)).Value.Length;

    // The mark is cleared by deleting the head: no head, nothing pending.
    private static async Task<bool?> PendingMarkAsync(CoreHarness core, string contactKey) =>
        (await core.Get<StorageClients>().Table(StorageNames.EventOutboxTable).GetEntityIfExistsAsync<TableEntity>(contactKey, EventOutbox.HeadRow)) is { HasValue: true } head
            ? head.Value!.GetBoolean(EventOutbox.PendingColumn)
            : false;

    private static async Task<List<string>> OutboxRowsAsync(CoreHarness core, string contactKey) =>
        [.. (await core.Get<StorageClients>().Table(StorageNames.EventOutboxTable).QueryAsync<TableEntity>(e => e.PartitionKey == contactKey).ToListAsync()).Select(r => r.RowKey)];

    private static async Task<T> WithDeliveryWorkerAsync<T>(CoreHarness core, Func<Task<T>> whileRunning)
    {
        var worker = ActivatorUtilities.CreateInstance<LocalHost.Events.EventDeliveryWorker>(core.Services);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            return await whileRunning();
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Only_the_append_that_finds_nothing_pending_nudges_and_one_delivery_sends_everything_pending_in_order()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.MessageReceived], false));

        await AppendAsync(core, "contact-a", 1);
        await AppendAsync(core, "contact-a", 2);
        await AppendAsync(core, "contact-a", 3);
        Assert.Equal(1, await NudgesQueuedAsync(core));
        Assert.True(await PendingMarkAsync(core, "contact-a"));

        Assert.Null(await core.Get<EventDispatcher>().DeliverAsync("contact-a", CancellationToken.None));
        Assert.Equal([1, 2, 3], _receiver.LogEntries.Select(e => Body(e)["data"]!["n"]!.GetValue<int>()));
        Assert.False(await PendingMarkAsync(core, "contact-a"));

        // Delivered up to the head: the next append nudges again.
        await AppendAsync(core, "contact-a", 4);
        Assert.Equal(2, await NudgesQueuedAsync(core));
    }

    [Fact]
    public async Task A_crash_between_the_append_and_its_nudge_is_repaired_by_the_callers_retry_and_nothing_is_lost()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.MessageReceived], false));
        await AppendAsync(core, "contact-a", 1);
        // The state a kill -9 right after the append's transaction leaves: marked pending, the event stored, no nudge.
        await core.Get<StorageClients>().Queue(StorageNames.EventsOutQueue).ClearMessagesAsync();
        var restarted = OtherProcess(core);
        Task Append(int n) => restarted.AppendAsync("contact-a", $"change-{n}", EventTypes.MessageReceived, DateTimeOffset.UnixEpoch.AddSeconds(n),
            new Dictionary<string, object?> { ["contactKey"] = "contact-a", ["n"] = n }, null, CancellationToken.None);

        // Another change of the contact finds it pending and leaves the nudge to the one that marked it ...
        await Append(2);
        Assert.Equal(0, await NudgesQueuedAsync(core));
        // ... the at-least-once retry of the interrupted change finds it recorded and nudges.
        await Append(1);
        Assert.Equal(1, await NudgesQueuedAsync(core));

        var delivered = await WithDeliveryWorkerAsync(core, async () =>
        {
            await Eventually.TrueAsync(() => Task.FromResult(_receiver.LogEntries.Count >= 2), TimeSpan.FromSeconds(60));
            return _receiver.LogEntries.Select(e => Body(e)["data"]!["n"]!.GetValue<int>()).ToArray();
        });
        Assert.Equal([1, 2], delivered);
    }

    [Fact]
    public async Task A_contact_pending_longer_than_the_limit_is_nudged_again_by_its_next_append()
    {
        Answer(200);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var core = await StartAsync(time, ("/crm", [EventTypes.MessageReceived], false));
        await AppendAsync(core, "contact-a", 1);
        // The nudge is lost (say, parked after its retries); the mark stays.
        await core.Get<StorageClients>().Queue(StorageNames.EventsOutQueue).ClearMessagesAsync();

        time.Advance(TimeSpan.FromMinutes(59));
        await AppendAsync(core, "contact-a", 2);
        Assert.Equal(0, await NudgesQueuedAsync(core));
        time.Advance(TimeSpan.FromMinutes(2));
        await AppendAsync(core, "contact-a", 3);
        Assert.Equal(1, await NudgesQueuedAsync(core));

        Assert.Null(await core.Get<EventDispatcher>().DeliverAsync("contact-a", CancellationToken.None));
        Assert.Equal([1, 2, 3], _receiver.LogEntries.Select(e => Body(e)["data"]!["n"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Appends_in_line_and_queued_racing_the_deliveries_of_one_contact_are_all_delivered_in_each_writers_order_and_leave_no_row()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.MessageReceived], false));
        // Two "processes" append for one contact while the worker delivers: heads are written and deleted under their feet.
        var writers = new[] { core.Get<EventOutbox>(), OtherProcess(core) };
        var delivered = await WithDeliveryWorkerAsync(core, async () =>
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
            {
                for (var i = 0; i < 15; i++)
                {
                    var n = (w * 100) + i;
                    var data = new Dictionary<string, object?> { ["contactKey"] = "contact-a", ["n"] = n };
                    // Half of them as inbound processing appends (delivered in line when nothing is pending), half queued.
                    _ = w < 2
                        ? await writers[w % 2].AppendAndDeliverAsync("contact-a", $"change-{n}", EventTypes.MessageReceived, DateTimeOffset.UnixEpoch.AddSeconds(n), data, null, CancellationToken.None)
                        : await writers[w % 2].AppendAsync("contact-a", $"change-{n}", EventTypes.MessageReceived, DateTimeOffset.UnixEpoch.AddSeconds(n), data, null, CancellationToken.None);
                }
            }));
            await Eventually.TrueAsync(async () =>
                _receiver.LogEntries.Select(e => e.RequestMessage.Headers!["webhook-id"].Single()).Distinct().Count() >= 60
                && await PendingMarkAsync(core, "contact-a") == false, TimeSpan.FromSeconds(90));
            return _receiver.LogEntries.Select(e => Body(e)["data"]!["n"]!.GetValue<int>()).Distinct().ToArray();
        });

        Assert.Equal(60, delivered.Length);
        for (var w = 0; w < 4; w++)
        {
            var mine = delivered.Where(n => n / 100 == w).ToArray();
            Assert.Equal(mine.Order(), mine);
        }

        Assert.Empty(await OutboxRowsAsync(core, "contact-a"));
    }

    private static Task AppendAndDeliverAsync(CoreHarness core, string contactKey, int n) =>
        core.Get<EventOutbox>().AppendAndDeliverAsync(contactKey, $"change-{n}", EventTypes.MessageReceived, DateTimeOffset.UnixEpoch.AddSeconds(n),
            new Dictionary<string, object?> { ["contactKey"] = contactKey, ["n"] = n }, null, CancellationToken.None);

    private static async Task<List<TableEntity>> StoredEventsAsync(CoreHarness core, string contactKey) =>
        await core.Get<StorageClients>().Table(StorageNames.EventOutboxTable)
            .QueryAsync<TableEntity>(e => e.PartitionKey == contactKey && e.RowKey.CompareTo("d-") >= 0 && e.RowKey.CompareTo("e.") < 0).ToListAsync();

    [Fact]
    public async Task An_event_appended_by_inbound_processing_for_a_contact_with_nothing_pending_goes_out_in_the_same_call_without_a_nudge()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.MessageReceived], false));

        await AppendAndDeliverAsync(core, "contact-a", 1);
        await AppendAndDeliverAsync(core, "contact-a", 2);

        Assert.Equal([1, 2], _receiver.LogEntries.Select(e => Body(e)["data"]!["n"]!.GetValue<int>()));
        Assert.All(_receiver.LogEntries, e => Assert.True(SignatureIsValid(e), "signature"));
        Assert.Equal(0, await NudgesQueuedAsync(core));
        Assert.False(await PendingMarkAsync(core, "contact-a"));
        Assert.Empty(await StoredEventsAsync(core, "contact-a"));
    }

    [Fact]
    public async Task An_in_line_delivery_never_overtakes_a_pending_event_and_a_failing_receiver_sends_it_the_queued_way()
    {
        Answer(500, "\"n\":1[,}]", priority: 1);
        Answer(200);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var core = await StartAsync(time, ("/crm", [EventTypes.MessageReceived], false));

        // Refused in line: stored, nudged, marked pending.
        await AppendAndDeliverAsync(core, "contact-a", 1);
        Assert.Equal(1, await NudgesQueuedAsync(core));
        // Behind a pending event an in-line append only queues (no second nudge, no POST out of order).
        await AppendAndDeliverAsync(core, "contact-a", 2);
        Assert.Equal(1, await NudgesQueuedAsync(core));
        Assert.Single(_receiver.LogEntries);

        _receiver.Reset();
        Answer(200);
        Assert.Null(await core.Get<EventDispatcher>().DeliverAsync("contact-a", CancellationToken.None));
        Assert.Equal([1, 2], _receiver.LogEntries.Select(e => Body(e)["data"]!["n"]!.GetValue<int>()));
        Assert.Empty(await StoredEventsAsync(core, "contact-a"));
        Assert.False(await PendingMarkAsync(core, "contact-a"));

        // While the receiver's in-line pause lasts, even a contact with nothing pending goes queued; after it, in line again.
        await AppendAndDeliverAsync(core, "contact-b", 3);
        Assert.Equal(2, await NudgesQueuedAsync(core));
        time.Advance(TimeSpan.FromMinutes(2));
        await AppendAndDeliverAsync(core, "contact-c", 4);
        Assert.Equal(2, await NudgesQueuedAsync(core));
        Assert.Empty(await StoredEventsAsync(core, "contact-c"));
    }

    [Fact]
    public async Task Events_stored_in_the_former_layout_are_delivered_in_order_before_new_ones_and_leave_no_rows_behind()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.MessageReceived], false));
        // What an outbox written before events moved into their change rows holds: e-{sequence} rows naming a change row
        // (d-, without the event's columns), and a head marked pending.
        var table = core.Get<StorageClients>().Table(StorageNames.EventOutboxTable);
        for (var n = 1; n <= 2; n++)
        {
            await table.AddEntityAsync(new TableEntity("contact-a", "d-former-" + n) { [EventOutbox.SequenceColumn] = (long)n });
            await table.AddEntityAsync(new TableEntity("contact-a", EventOutbox.EventRow(n))
            {
                ["Type"] = EventTypes.MessageReceived,
                ["EventId"] = "evt_former_" + n,
                ["OccurredAt"] = DateTimeOffset.UnixEpoch.AddSeconds(n),
                ["Data"] = $"{{\"contactKey\":\"contact-a\",\"n\":{n}}}",
                [EventOutbox.LegacyChangeRowColumn] = "d-former-" + n,
            });
        }

        await table.AddEntityAsync(new TableEntity("contact-a", EventOutbox.HeadRow) { ["Sequence"] = 2L, [EventOutbox.PendingColumn] = true });

        await AppendAsync(core, "contact-a", 3);
        Assert.Null(await core.Get<EventDispatcher>().DeliverAsync("contact-a", CancellationToken.None));

        Assert.Equal([1, 2, 3], _receiver.LogEntries.Select(e => Body(e)["data"]!["n"]!.GetValue<int>()));
        Assert.Equal(["evt_former_1", "evt_former_2"], _receiver.LogEntries.Take(2).Select(e => e.RequestMessage.Headers!["webhook-id"].Single()));
        Assert.Empty(await OutboxRowsAsync(core, "contact-a"));
    }

    [Fact]
    public async Task A_delivered_contact_leaves_no_row_in_the_outbox_whichever_way_its_events_went()
    {
        Answer(500, "\"n\":2[,}]", priority: 1);
        Answer(200);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var core = await StartAsync(time, ("/crm", [EventTypes.MessageReceived], false), ("/helpdesk", [EventTypes.MessageReceived], false));

        await AppendAndDeliverAsync(core, "contact-a", 1);
        Assert.Empty(await OutboxRowsAsync(core, "contact-a"));

        // Queued, with one receiver refusing for a while: cursors and the head exist only until everything went out.
        await AppendAsync(core, "contact-b", 2);
        await AppendAsync(core, "contact-b", 3);
        var dispatcher = core.Get<EventDispatcher>();
        Assert.NotNull(await dispatcher.DeliverAsync("contact-b", CancellationToken.None));
        Assert.Contains(EventOutbox.HeadRow, await OutboxRowsAsync(core, "contact-b"));
        _receiver.Reset();
        Answer(200);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await dispatcher.DeliverAsync("contact-b", CancellationToken.None));
        Assert.Empty(await OutboxRowsAsync(core, "contact-b"));

        // The next event of a contact starts the outbox again and goes out like the first.
        await AppendAsync(core, "contact-b", 4);
        Assert.Null(await dispatcher.DeliverAsync("contact-b", CancellationToken.None));
        Assert.Equal(4, Body(_receiver.LogEntries[^1])["data"]!["n"]!.GetValue<int>());
        Assert.Empty(await OutboxRowsAsync(core, "contact-b"));
    }

    [Fact]
    public async Task A_cursor_left_from_an_earlier_life_of_the_head_skips_none_of_the_new_events()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.MessageReceived], false));
        var subscription = core.Get<Microsoft.Extensions.Options.IOptionsMonitor<EventsOptions>>().CurrentValue.Subscriptions.Single();
        // What a delivery that lost the race to the one that deleted the head writes afterwards: a cursor far ahead, of an
        // epoch that has ended. Sequence numbers start again at 1 with the next head.
        await core.Get<StorageClients>().Table(StorageNames.EventOutboxTable).AddEntityAsync(
            new TableEntity("contact-a", EventOutbox.CursorRowPrefix + subscription.Id) { ["Delivered"] = 50L, [EventOutbox.EpochColumn] = "ended" });

        await AppendAsync(core, "contact-a", 1);
        await AppendAsync(core, "contact-a", 2);
        Assert.Null(await core.Get<EventDispatcher>().DeliverAsync("contact-a", CancellationToken.None));

        Assert.Equal([1, 2], _receiver.LogEntries.Select(e => Body(e)["data"]!["n"]!.GetValue<int>()));
        Assert.Empty(await OutboxRowsAsync(core, "contact-a"));
    }

    [Fact]
    public async Task A_parked_event_is_listed_without_data_and_a_replay_delivers_it_again_under_its_id_to_its_subscription_only()
    {
        _receiver.Given(Request.Create().UsingPost().WithPath("/crm")).AtPriority(1).RespondWith(Response.Create().WithStatusCode(500));
        Answer(200);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var core = await StartAsync(time, ("/crm", [EventTypes.MessageReceived], false), ("/helpdesk", [EventTypes.MessageReceived], false));
        await AppendAsync(core, "contact-a", 1);
        var dispatcher = core.Get<EventDispatcher>();
        await dispatcher.DeliverAsync("contact-a", CancellationToken.None);
        time.Advance(TimeSpan.FromHours(25));
        await dispatcher.DeliverAsync("contact-a", CancellationToken.None);
        var handlers = core.Get<ParkedEventHandlers>();
        var list = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<IReadOnlyList<ParkedEvent>>>((await handlers.ListAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext().Request, CancellationToken.None)).Result).Value!;
        var parked = Assert.Single(list);
        Assert.Equal("contact-a", parked.ContactKey);
        Assert.True(ParkedEventStore.IsId(parked.Id));
        var webhookId = _receiver.LogEntries.First(e => e.RequestMessage.Path == "/crm").RequestMessage.Headers!["webhook-id"].Single();
        Assert.Equal(webhookId, parked.EventId);

        _receiver.Reset();
        Answer(200);
        Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Accepted>((await handlers.ReplayAsync(parked.Id, CancellationToken.None)).Result);
        await dispatcher.DeliverAsync("contact-a", CancellationToken.None);

        var again = Assert.Single(_receiver.LogEntries);
        Assert.Equal("/crm", again.RequestMessage.Path);
        Assert.Equal(webhookId, again.RequestMessage.Headers!["webhook-id"].Single());
        Assert.Equal(1, Body(again)["data"]!["n"]!.GetValue<int>());
        Assert.True(SignatureIsValid(again));
        Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.NotFound>((await handlers.ReplayAsync(parked.Id, CancellationToken.None)).Result);
        Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ValidationProblem>((await handlers.ReplayAsync("not an id", CancellationToken.None)).Result);
    }

    [Fact]
    public async Task A_discarded_parked_event_is_gone_and_erasure_removes_a_contacts_parked_events()
    {
        Answer(500);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var core = await StartAsync(time, ("/crm", [EventTypes.MessageReceived], false));
        await AppendAsync(core, "contact-a", 1);
        await AppendAsync(core, "contact-b", 2);
        var dispatcher = core.Get<EventDispatcher>();
        foreach (var contact in new[] { "contact-a", "contact-b" })
        {
            await dispatcher.DeliverAsync(contact, CancellationToken.None);
        }

        time.Advance(TimeSpan.FromHours(25));
        foreach (var contact in new[] { "contact-a", "contact-b" })
        {
            await dispatcher.DeliverAsync(contact, CancellationToken.None);
        }

        var store = core.Get<ParkedEventStore>();
        Assert.Equal(2, (await store.ListAsync(10, CancellationToken.None)).Count);
        var a = (await store.ListAsync(10, CancellationToken.None)).Single(p => p.ContactKey == "contact-a");

        Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.NoContent>((await core.Get<ParkedEventHandlers>().DiscardAsync(a.Id, CancellationToken.None)).Result);
        Assert.Equal(1, await store.DeleteContactAsync("contact-b", CancellationToken.None));

        Assert.Empty(await store.ListAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task A_completed_campaign_is_announced_once_with_its_counts_and_other_status_changes_are_not()
    {
        Answer(200);
        var settings = Consent.Integration.ConsentHarness.Settings(azurite);
        settings["Meta:GraphApiBaseUrl"] = _graph.Url;
        settings["Events:Subscriptions:0:Url"] = _receiver.Url + "/crm";
        settings["Events:Subscriptions:0:Secret"] = Secret;
        settings["Events:Subscriptions:0:Types:0"] = EventTypes.CampaignCompleted;
        await using var core = await CoreHarness.StartAsync(azurite, (services, configuration) =>
        {
            services.AddConsent(configuration);
            services.AddPrivacy(configuration);
            services.AddConversations(configuration);
            services.AddCampaigns(configuration);
        }, settings);
        var effects = core.Get<Messaging.Shared.Workflows.IWorkflowEffects<CampaignEffect, CampaignInput>>();
        var plan = new CampaignPlan("c-events", new CampaignTemplateRef("winter_sale", "de"), "marketing", Marketing: true, 1, 3);
        var at = DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var tally = CampaignTally.Empty.WithSent().WithSent().WithSkipped("withdrawnDuringCampaign");
        var progress = CampaignProgress.NotStarted with { NextPage = 1, Tally = tally, StartedAt = at };

        await effects.ExecuteAsync(new CampaignEffect.RecordStatus(CampaignSnapshot.Of(new CampaignState.Running(plan, progress), at)!), CancellationToken.None);
        var completed = new CampaignEffect.RecordStatus(CampaignSnapshot.Of(new CampaignState.Completed(plan, progress, at.AddMinutes(1)), at.AddMinutes(1))!);
        await effects.ExecuteAsync(completed, CancellationToken.None);
        await effects.ExecuteAsync(completed, CancellationToken.None);
        await core.Get<EventDispatcher>().DeliverAsync("campaign-c-events", CancellationToken.None);

        var body = Body(Assert.Single(_receiver.LogEntries));
        Assert.Equal(EventTypes.CampaignCompleted, body["type"]!.GetValue<string>());
        Assert.Equal("c-events", body["data"]!["campaignId"]!.GetValue<string>());
        Assert.Equal(2, body["data"]!["sent"]!.GetValue<int>());
        Assert.Equal(1, body["data"]!["skipped"]!["withdrawnDuringCampaign"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_inbound_message_becomes_message_received_with_content_only_for_subscriptions_that_ask_for_it()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.MessageReceived], false), ("/helpdesk", [EventTypes.MessageReceived], true));
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915112345678", "wamid.EVENTS-1", "Wo bleibt meine Bestellung?", DateTimeOffset.UtcNow));

        var contactKey = (await core.Get<StorageClients>().Table(StorageNames.ConversationsTable).QueryAsync<TableEntity>().SingleAsync()).PartitionKey;
        await core.Get<EventDispatcher>().DeliverAsync(contactKey, CancellationToken.None);

        var crm = Body(_receiver.LogEntries.Single(e => e.RequestMessage.Path == "/crm"));
        var helpdesk = Body(_receiver.LogEntries.Single(e => e.RequestMessage.Path == "/helpdesk"));
        Assert.Equal(contactKey, crm["data"]!["contactKey"]!.GetValue<string>());
        Assert.Equal("text", crm["data"]!["kind"]!.GetValue<string>());
        Assert.Null(crm["data"]!["text"]);
        Assert.DoesNotContain("4915112345678", crm.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("Wo bleibt meine Bestellung?", helpdesk["data"]!["text"]!.GetValue<string>());
        Assert.Equal("Erika Mustermann", helpdesk["data"]!["profileName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_confirmed_double_opt_in_is_announced_as_consent_changed_then_optin_completed_even_when_the_append_is_repeated()
    {
        Answer(200);
        await using var core = await StartAsync(null, ("/crm", [EventTypes.ConsentChanged, EventTypes.OptInCompleted], false));
        var ledger = core.Get<Messaging.Shared.Consent.Ledger.ConsentLedger>();
        var requested = Consent.ConsentTestData.Requested("r-1", 0);
        var confirmed = new Messaging.Shared.Consent.Ledger.ConsentConfirmed("conf-r-1", Consent.ConsentTestData.Marketing, Consent.ConsentTestData.At(60), Consent.ConsentTestData.WebProof, "r-1");

        await ledger.AppendAsync("contact-a", requested, CancellationToken.None);
        await ledger.AppendAsync("contact-a", confirmed, CancellationToken.None);
        await ledger.AppendAsync("contact-a", confirmed, CancellationToken.None);
        await core.Get<EventDispatcher>().DeliverAsync("contact-a", CancellationToken.None);

        var bodies = _receiver.LogEntries.Select(Body).ToList();
        Assert.Equal([EventTypes.ConsentChanged, EventTypes.ConsentChanged, EventTypes.OptInCompleted], bodies.Select(b => b["type"]!.GetValue<string>()));
        Assert.Equal("Confirmed", bodies[2]["data"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Types_nobody_subscribed_to_are_not_written()
    {
        await using var core = await StartAsync(null, ("/crm", [EventTypes.ConsentChanged], false));

        Assert.False(await core.Get<EventOutbox>().AppendAsync("contact-a", "c", EventTypes.MessageReceived, DateTimeOffset.UnixEpoch,
            new Dictionary<string, object?>(), null, CancellationToken.None));
        Assert.Empty(await core.Get<StorageClients>().Table(StorageNames.EventOutboxTable).QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public void Settings_name_what_is_wrong()
    {
        var options = new EventsOptions
        {
            Subscriptions = [new EventSubscription { Url = new Uri("ftp://x"), Secret = "whsec_???", Types = ["message.deleted"] }],
        };

        var problems = options.Validate();

        Assert.Contains(problems, p => p.StartsWith("Events:Subscriptions:0:Url", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Events:Subscriptions:0:Secret", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("message.deleted", StringComparison.Ordinal));
    }
}
