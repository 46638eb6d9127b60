using Azure.Data.Tables;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Outbound;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Messaging.Shared.Tests.Consent.Integration;

/// <summary>
/// A process that dies leaves storage as it was at that moment, and a restarted one sees only that. Each test stops
/// a harness at a chosen point (an exception nothing catches, or the rows a dead sender leaves), starts a new one on
/// the same storage with the same settings, redelivers as the queues would, and counts what Meta received.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CrashSafetyOnAzuriteTests(AzuriteFixture azurite)
{
    private static readonly string FirstMessage = ConsentHarness.Text("wamid.CRASH-FIRST-1", "Hallo, eine Frage");

    [Fact]
    public async Task A_process_that_dies_after_a_first_messages_effects_but_before_its_commit_still_sends_one_privacy_notice()
    {
        var settings = ConsentHarness.Settings(azurite);
        await using (var dying = await ConsentHarness.StartAsync(azurite, settings, runWorker: false, configure: s => s.AddSingleton<IInboundObserver, DiesAfterTheOtherEffects>()))
        {
            await Assert.ThrowsAsync<ProcessDied>(() => dying.DeliverAsync(FirstMessage));
            Assert.Empty(await MessageRowsAsync(dying));
        }

        await using var restarted = await ConsentHarness.StartAsync(azurite, settings, runWorker: false);
        Assert.Equal(ProcessingOutcome.Processed, await restarted.DeliverAsync(FirstMessage));

        Assert.Single(restarted.SentBodies, b => b.Contains("https://bakery.example/privacy", StringComparison.Ordinal));
        Assert.Single(await MessageRowsAsync(restarted));
    }

    [Fact]
    public async Task A_message_committed_before_the_process_died_changes_nothing_when_its_queue_message_comes_back()
    {
        var settings = ConsentHarness.Settings(azurite);
        await using (var first = await ConsentHarness.StartAsync(azurite, settings, runWorker: false))
        {
            await first.DeliverAsync(FirstMessage);
            Assert.Single(first.SentBodies);
        }

        await using var restarted = await ConsentHarness.StartAsync(azurite, settings, runWorker: false);
        await restarted.DeliverAsync(FirstMessage);

        Assert.Empty(restarted.SentBodies);
        Assert.Single(await MessageRowsAsync(restarted));
    }

    [Fact]
    public async Task A_notice_queued_before_the_process_died_and_never_attempted_is_sent_once_after_the_restart()
    {
        var settings = ConsentHarness.Settings(azurite);
        string contactKey;
        await using (var dying = await ConsentHarness.StartAsync(azurite, settings, runWorker: false))
        {
            contactKey = await dying.ContactAsync();
            // What a process leaves when it dies right after its outbox insert: a Pending row, the command still queued.
            var sendId = $"privacy-notice:{contactKey}";
            var outbox = dying.Core.Get<OutboxStore>();
            Assert.True(await outbox.TryInsertAsync(
                new OutboxEntity { PartitionKey = contactKey, RowKey = outbox.SendKey(sendId), Kind = nameof(MessageCategory.ServiceText), MessageType = "text", CreatedAt = DateTimeOffset.UtcNow },
                CancellationToken.None));
            await dying.Core.Get<IOutboundSendQueue>().EnqueueAsync(
                OutboundSendCommand.For(sendId, contactKey, "marketing", MessageKind.PrivacyNotice, OutboundMessage.FromText("Datenschutzhinweise: https://bakery.example/privacy"), DateTimeOffset.UtcNow),
                TimeSpan.Zero,
                CancellationToken.None);
            // The contact wrote a moment ago, so the service window is open.
            await dying.Core.Get<Messaging.Shared.Contacts.ContactDirectory>().ResolveInboundAsync(ConsentHarness.WaId, null, null, DateTimeOffset.UtcNow, CancellationToken.None);
        }

        await using var restarted = await ConsentHarness.StartAsync(azurite, settings, runWorker: false);
        await restarted.Core.DrainOutboundAsync();

        Assert.Single(restarted.SentBodies);
        var row = await restarted.Core.Get<OutboxStore>().GetAsync(contactKey, restarted.Core.Get<OutboxStore>().SendKey($"privacy-notice:{contactKey}"), CancellationToken.None);
        Assert.Equal(nameof(OutboxState.Sent), row!.State);
    }

    [Fact]
    public async Task A_send_cut_off_after_Meta_took_it_is_recorded_as_sent_from_its_status_and_not_sent_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false, configure: s => s.AddSingleton<TimeProvider>(clock));
        var contactKey = await harness.ContactAsync();
        var (sendId, sendKey) = await LeaveAnAttemptCutOffByACrashAsync(harness, contactKey, clock);

        // Meta had taken it: its status webhook echoes our callback id.
        await harness.DeliverAsync(Status("wamid.OUT-CUT-1", "sent", sendKey));
        clock.Advance(TimeSpan.FromMinutes(11));
        var result = await harness.Core.Get<OutboundMessenger>().SendAsync(NoticeRequest(sendId, contactKey), CancellationToken.None);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Empty(harness.SentBodies);
        Assert.Empty(await harness.Core.Get<OutboundMessenger>().ListUnknownAsync(10, CancellationToken.None));
        var row = await harness.Core.Get<OutboxStore>().FindByWamidAsync("wamid.OUT-CUT-1", CancellationToken.None);
        Assert.Equal((sendKey, "status"), (row!.RowKey, row.ResolvedBy));
    }

    [Fact]
    public async Task A_send_cut_off_with_no_sign_that_it_left_is_unknown_listed_for_the_operator_and_never_sent_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false, configure: s => s.AddSingleton<TimeProvider>(clock));
        var contactKey = await harness.ContactAsync();
        var (sendId, sendKey) = await LeaveAnAttemptCutOffByACrashAsync(harness, contactKey, clock);
        var messenger = harness.Core.Get<OutboundMessenger>();

        var whileFresh = await messenger.SendAsync(NoticeRequest(sendId, contactKey), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(11));
        var afterStale = await messenger.SendAsync(NoticeRequest(sendId, contactKey), CancellationToken.None);
        var again = await messenger.SendAsync(NoticeRequest(sendId, contactKey), CancellationToken.None);

        Assert.Equal(OutboundStatus.InProgress, whileFresh.Status);
        Assert.Equal((OutboundStatus.UnknownOutcome, OutboundStatus.UnknownOutcome), (afterStale.Status, again.Status));
        Assert.Empty(harness.SentBodies);
        var listed = Assert.Single(await messenger.ListUnknownAsync(10, CancellationToken.None));
        Assert.Equal((contactKey, sendKey, nameof(MessageCategory.ServiceText)), (listed.ContactKey, listed.CallbackId, listed.Kind));

        // A status that turns up late settles it: the operator's list empties and the row says Sent.
        await harness.DeliverAsync(Status("wamid.OUT-LATE-1", "delivered", sendKey));
        Assert.Empty(await messenger.ListUnknownAsync(10, CancellationToken.None));
        Assert.Equal(OutboundStatus.Sent, (await messenger.SendAsync(NoticeRequest(sendId, contactKey), CancellationToken.None)).Status);
        Assert.Empty(harness.SentBodies);
    }

    /// <summary>The rows a sender leaves when it dies during its Meta call: an Attempting outbox row, nothing else.</summary>
    private static async Task<(string SendId, string SendKey)> LeaveAnAttemptCutOffByACrashAsync(ConsentHarness harness, string contactKey, TimeProvider clock)
    {
        var sendId = $"privacy-notice:{contactKey}";
        var outbox = harness.Core.Get<OutboxStore>();
        var sendKey = outbox.SendKey(sendId);
        Assert.True(await outbox.TryInsertAsync(
            new OutboxEntity
            {
                PartitionKey = contactKey,
                RowKey = sendKey,
                State = nameof(OutboxState.Attempting),
                Kind = nameof(MessageCategory.ServiceText),
                MessageType = "text",
                CreatedAt = clock.GetUtcNow(),
                AttemptStartedAt = clock.GetUtcNow(),
                AttemptCount = 1,
            },
            CancellationToken.None));
        await harness.Core.Get<Messaging.Shared.Contacts.ContactDirectory>().ResolveInboundAsync(ConsentHarness.WaId, null, null, clock.GetUtcNow(), CancellationToken.None);
        return (sendId, sendKey);
    }

    private static OutboundRequest NoticeRequest(string sendId, string contactKey) =>
        new(sendId, contactKey, MessageCategory.ServiceText, OutboundMessage.FromText("Datenschutzhinweise: https://bakery.example/privacy"));

    private static string Status(string wamid, string status, string callbackId) =>
        $$$"""{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},"statuses":[{"id":"{{{wamid}}}","status":"{{{status}}}","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","recipient_id":"{{{ConsentHarness.WaId}}}","biz_opaque_callback_data":"{{{callbackId}}}"}]}}]}]}""";

    private static async Task<List<TableEntity>> MessageRowsAsync(ConsentHarness harness) =>
        [.. (await MessageRows.AllAsync(harness.Core.Get<StorageClients>())).Where(e => e.RowKey.CompareTo("m-") >= 0)];

    /// <summary>Runs after the consent observer (registered later) and stands for the process dying right there.</summary>
    private sealed class DiesAfterTheOtherEffects : IInboundObserver
    {
        public Task OnMessageAsync(string contactKey, InboundMessage message, CancellationToken cancellationToken) => throw new ProcessDied();
    }

    private sealed class ProcessDied : Exception;
}
