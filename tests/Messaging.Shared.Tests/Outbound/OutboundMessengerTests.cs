using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Outbound;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Messaging.Shared.Tests.Outbound;

[Collection(AzuriteCollection.Name)]
public sealed class OutboundMessengerTests(AzuriteFixture azurite)
{
    private const string ContactKey = "c0ffee00c0ffee00c0ffee00c0ffee00";
    private const string Phone = "+4915112345678";
    private const string Wamid = "wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFDNBMEM2RkU5QTk4RTlGMjE0NkM1AA==";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeContactDirectory _contacts = new();

    [Fact]
    public async Task Same_send_id_sent_twice_calls_graph_once_and_replays_the_stored_result()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1));
        graph.AcceptAll(Wamid);
        var request = TextRequest("reply:msg-1");

        var first = await graph.Messenger.SendAsync(request, CancellationToken.None);
        var second = await graph.Messenger.SendAsync(request, CancellationToken.None);

        Assert.Equal(OutboundStatus.Sent, first.Status);
        Assert.Equal(first, second);
        Assert.Single(graph.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Concurrent_sends_of_one_send_id_call_graph_once(bool likelyNew)
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1));
        // A slow Meta keeps the winner inside its attempt while the others arrive.
        graph.AcceptAll(Wamid, delay: TimeSpan.FromMilliseconds(300));
        var request = TemplateRequest("doi:req-7:confirm-template");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => graph.Messenger.SendAsync(request, null, likelyNew, CancellationToken.None))));

        Assert.Single(graph.Calls);
        Assert.Contains(results, r => r.Status == OutboundStatus.Sent);
        Assert.All(results, r => Assert.Contains(r.Status, new[] { OutboundStatus.Sent, OutboundStatus.InProgress }));
        var final = await graph.Messenger.SendAsync(request, CancellationToken.None);
        Assert.Equal(OutboundStatus.Sent, final.Status);
        Assert.Single(graph.Calls);
    }

    [Fact]
    public async Task Text_outside_the_service_window_is_refused_without_calling_graph()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(25));
        graph.AcceptAll(Wamid);

        var result = await graph.Messenger.SendAsync(TextRequest("reply:late"), CancellationToken.None);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.Equal(SendErrorCategory.ClosedWindow, result.Category);
        Assert.False(result.IsRetryable);
        Assert.Empty(graph.Calls);
    }

    [Fact]
    public async Task Text_for_a_contact_who_never_wrote_is_refused_without_calling_graph()
    {
        await using var graph = await StartAsync(lastInboundAgo: null);
        graph.AcceptAll(Wamid);

        var result = await graph.Messenger.SendAsync(TextRequest("reply:never"), CancellationToken.None);

        Assert.Equal(SendErrorCategory.ClosedWindow, result.Category);
        Assert.Empty(graph.Calls);
    }

    [Fact]
    public async Task Template_outside_the_service_window_goes_out_with_the_callback_id()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromDays(30));
        graph.AcceptAll(Wamid, "accepted");

        var result = await graph.Messenger.SendAsync(TemplateRequest("doi:req-1:confirm-template"), CancellationToken.None);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Equal("accepted", result.MessageStatus);
        var body = GraphStub.BodyOf(Assert.Single(graph.Calls));
        Assert.Equal(Phone, body.GetProperty("to").GetString());
        Assert.Equal("template", body.GetProperty("type").GetString());
        Assert.Equal(result.CallbackId, body.GetProperty("biz_opaque_callback_data").GetString());
        Assert.DoesNotContain("doi:", result.CallbackId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_contact_fails_without_calling_graph()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1));
        graph.AcceptAll(Wamid);

        var result = await graph.Messenger.SendAsync(TemplateRequest("x:1") with { ContactKey = "ffff0000ffff0000ffff0000ffff0000" }, CancellationToken.None);

        Assert.Equal(SendErrorCategory.ContactUnknown, result.Category);
        Assert.Empty(graph.Calls);
    }

    [Fact]
    public async Task Contact_without_phone_number_fails_without_calling_graph()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1));
        _contacts.Add(new ContactAddress(ContactKey, null, "US.13491208655302741918", _time.GetUtcNow()));
        graph.AcceptAll(Wamid);

        var result = await graph.Messenger.SendAsync(TemplateRequest("x:2"), CancellationToken.None);

        Assert.Equal(SendErrorCategory.NoPhoneNumber, result.Category);
        Assert.Empty(graph.Calls);
    }

    [Fact]
    public async Task Sent_row_keeps_the_wamid_only_hashed_and_sealed_and_is_found_by_wamid()
    {
        var storage = await azurite.CreateStorageAsync();
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1), storage);
        graph.AcceptAll(Wamid);

        var result = await graph.Messenger.SendAsync(TemplateRequest("doi:req-2:confirm-template"), CancellationToken.None);

        var row = await graph.Outbox.FindByWamidAsync(Wamid, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal(ContactKey, row.PartitionKey);
        Assert.Equal(result.CallbackId, row.RowKey);
        Assert.Equal(nameof(OutboxState.Sent), row.State);
        Assert.Equal(Wamid, graph.Outbox.OpenWamid(row));
        await foreach (var raw in storage.Table(StorageNames.OutboxTable).QueryAsync<TableEntity>())
        {
            var text = string.Join("|", raw.Select(p => $"{p.Key}={p.Value}")) + "|" + raw.PartitionKey + "|" + raw.RowKey;
            Assert.DoesNotContain(Wamid, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Phone.TrimStart('+'), text, StringComparison.Ordinal);
            Assert.DoesNotContain("doi:req-2", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Throttled_failure_is_attempted_again_on_the_next_call_with_the_same_send_id()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1), settings: new Dictionary<string, string?> { ["Outbound:MaxRetryAttempts"] = "0" });
        graph.RefuseOnceThenAccept(429, 130429, Wamid);
        var request = TemplateRequest("campaign:c1:contact");

        var first = await graph.Messenger.SendAsync(request, CancellationToken.None);
        var second = await graph.Messenger.SendAsync(request, CancellationToken.None);

        Assert.Equal(SendErrorCategory.Throttled, first.Category);
        Assert.True(first.IsRetryable);
        Assert.Equal(OutboundStatus.Sent, second.Status);
        Assert.Equal(2, graph.Calls.Count);
    }

    [Fact]
    public async Task Template_fault_is_final_and_not_sent_again()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1));
        graph.RefuseAll(400, 132001);
        var request = TemplateRequest("campaign:c2:contact");

        var first = await graph.Messenger.SendAsync(request, CancellationToken.None);
        var second = await graph.Messenger.SendAsync(request, CancellationToken.None);

        Assert.Equal(SendErrorCategory.TemplateFault, first.Category);
        Assert.Equal(132001, first.ErrorCode);
        Assert.Equal(first, second);
        Assert.Single(graph.Calls);
    }

    [Fact]
    public async Task Ecosystem_cap_is_not_retried_before_a_day_has_passed()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1));
        graph.RefuseOnceThenAccept(400, 131049, Wamid);
        var request = TemplateRequest("campaign:c3:contact");

        var capped = await graph.Messenger.SendAsync(request, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(23));
        var tooEarly = await graph.Messenger.SendAsync(request, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));
        var later = await graph.Messenger.SendAsync(request, CancellationToken.None);

        Assert.Equal(SendErrorCategory.EcosystemCap, capped.Category);
        Assert.Equal(capped.RetryNotBefore, tooEarly.RetryNotBefore);
        Assert.Equal(OutboundStatus.Failed, tooEarly.Status);
        Assert.Equal(OutboundStatus.Sent, later.Status);
        Assert.Equal(2, graph.Calls.Count);
    }

    [Fact]
    public async Task Unknown_outcome_is_never_sent_again_automatically()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1), settings: new Dictionary<string, string?> { ["Outbound:AttemptTimeout"] = "00:00:00.300" });
        var arrivals = graph.AcceptSlowly(TimeSpan.FromSeconds(3));
        await graph.WarmUpAsync();
        var request = TemplateRequest("doi:req-3:confirm-template");

        var first = await DriveClockUntilDoneAsync(graph.Messenger.SendAsync(request, CancellationToken.None));
        var second = await graph.Messenger.SendAsync(request, CancellationToken.None);

        Assert.Equal(OutboundStatus.UnknownOutcome, first.Status);
        Assert.Equal(OutboundStatus.UnknownOutcome, second.Status);
        Assert.False(second.IsRetryable);
        Assert.Equal(1, arrivals());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Attempt_in_flight_is_reported_in_progress_and_a_stale_one_becomes_unknown_without_a_send(bool likelyNew)
    {
        var storage = await azurite.CreateStorageAsync();
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1), storage);
        graph.AcceptAll(Wamid);
        var request = TemplateRequest("doi:req-4:confirm-template");
        Assert.True(await graph.Outbox.TryInsertAsync(AttemptingRow(graph, request), CancellationToken.None));

        var whileRunning = await graph.Messenger.SendAsync(request, null, likelyNew, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(11));
        var afterCrash = await graph.Messenger.SendAsync(request, null, likelyNew, CancellationToken.None);

        Assert.Equal(OutboundStatus.InProgress, whileRunning.Status);
        Assert.True(whileRunning.IsRetryable);
        Assert.Equal(OutboundStatus.UnknownOutcome, afterCrash.Status);
        Assert.Empty(graph.Calls);
    }

    [Fact]
    public async Task Pending_row_left_by_a_crash_before_the_call_is_sent()
    {
        var storage = await azurite.CreateStorageAsync();
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1), storage);
        graph.AcceptAll(Wamid);
        var request = TemplateRequest("doi:req-5:confirm-template");
        Assert.True(await graph.Outbox.TryInsertAsync(new OutboxEntity
        {
            PartitionKey = ContactKey,
            RowKey = graph.Outbox.SendKey(request.SendId),
            Kind = request.Kind.ToString(),
            MessageType = "template",
            TemplateName = "doi_confirm",
            CreatedAt = _time.GetUtcNow(),
        }, CancellationToken.None));

        var result = await graph.Messenger.SendAsync(request, CancellationToken.None);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Single(graph.Calls);
    }

    [Fact]
    public async Task Reusing_a_send_id_for_a_different_message_is_rejected()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1));
        graph.AcceptAll(Wamid);
        await graph.Messenger.SendAsync(TemplateRequest("same-id"), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => graph.Messenger.SendAsync(TextRequest("same-id"), CancellationToken.None));
        Assert.Single(graph.Calls);
    }

    [Fact]
    public async Task Likely_new_send_is_claimed_by_one_insert_and_a_repeat_of_it_is_not_sent_again()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1));
        graph.AcceptAll(Wamid);
        var request = TemplateRequest("campaign:c-1:contact:0") with { Tag = "campaign:c-1" };

        var first = await graph.Messenger.SendAsync(request, null, likelyNew: true, CancellationToken.None);
        var repeat = await graph.Messenger.SendAsync(request, null, likelyNew: true, CancellationToken.None);

        Assert.Equal(OutboundStatus.Sent, first.Status);
        Assert.Equal(OutboundStatus.Sent, repeat.Status);
        Assert.Single(graph.Calls);
        var row = await graph.Outbox.GetAsync(ContactKey, first.CallbackId, CancellationToken.None);
        Assert.Equal(("Sent", 1, "campaign:c-1"), (row!.State, row.AttemptCount, row.Tag));
    }

    [Fact]
    public async Task Likely_new_send_to_an_unknown_contact_records_the_failure_without_calling_graph()
    {
        await using var graph = await StartAsync(lastInboundAgo: TimeSpan.FromHours(1));
        graph.AcceptAll(Wamid);
        var request = TemplateRequest("campaign:c-4:contact:0") with { ContactKey = "0000000000000000000000000000dead" };

        var result = await graph.Messenger.SendAsync(request, null, likelyNew: true, CancellationToken.None);

        Assert.Equal((OutboundStatus.Failed, SendErrorCategory.ContactUnknown), (result.Status, result.Category));
        Assert.Equal("Failed", (await graph.Outbox.GetAsync(request.ContactKey, result.CallbackId, CancellationToken.None))!.State);
        Assert.Empty(graph.Calls);
    }

    /// <summary>The row of a sender that died during its call to Meta, as it left it.</summary>
    private OutboxEntity AttemptingRow(GraphStub graph, OutboundRequest request) => new()
    {
        PartitionKey = ContactKey,
        RowKey = graph.Outbox.SendKey(request.SendId),
        State = nameof(OutboxState.Attempting),
        Kind = request.Kind.ToString(),
        MessageType = "template",
        TemplateName = "doi_confirm",
        CreatedAt = _time.GetUtcNow(),
        AttemptStartedAt = _time.GetUtcNow(),
        AttemptCount = 1,
    };

    /// <summary>The resilience pipeline takes its clock from DI, so its attempt timeout fires only when the fake clock moves.</summary>
    private async Task<T> DriveClockUntilDoneAsync<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(20);
        }

        return await task;
    }

    private async Task<GraphStub> StartAsync(TimeSpan? lastInboundAgo, StorageClients? storage = null, IDictionary<string, string?>? settings = null)
    {
        storage ??= await azurite.CreateStorageAsync();
        _contacts.Add(new ContactAddress(ContactKey, Phone, null, lastInboundAgo is { } ago ? _time.GetUtcNow() - ago : null));
        return GraphStub.Start(storage, _contacts, _time, settings);
    }

    private static OutboundRequest TextRequest(string sendId) =>
        new(sendId, ContactKey, MessageCategory.ServiceText, OutboundMessage.FromText("Danke für Ihre Nachricht"));

    private static OutboundRequest TemplateRequest(string sendId) =>
        new(sendId, ContactKey, MessageCategory.Utility, OutboundMessage.FromTemplate("doi_confirm", "de",
            TemplateComponent.Body("Asha"), TemplateComponent.QuickReplyButton(0, "doi:yes")));
}
