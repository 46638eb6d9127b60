using System.Collections.Concurrent;
using System.Text.Json;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Sending;
using Messaging.Shared.Contacts;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Campaigns.Integration;

/// <summary>
/// Azure's lane on Azurite: a page's recipients go onto a queue (here in memory, with Service Bus's at-least-once
/// delivery and duplicate detection by MessageId) and the shared consumer sends them; the page waits for their rows.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueuedCampaignSendLaneOnAzuriteTests(AzuriteFixture azurite)
{
    private static readonly CampaignTemplateRef Template = new("winter_sale", "de");

    [Fact]
    public async Task A_page_through_the_queue_sends_everyone_once_even_when_every_batch_is_delivered_twice_and_enqueued_twice()
    {
        var queue = new InMemorySessionQueue();
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false, configure: s =>
        {
            s.AddCampaigns(new ConfigurationBuilder().Build());
            s.AddSingleton<ICampaignSendQueue>(queue);
            s.AddSingleton<ICampaignSendLane, QueuedCampaignSendLane>();
        });
        var contacts = await ContactsAsync(harness, 30, 3000);
        await harness.Core.Get<CampaignRecipientStore>().WriteAsync("c-queued", [.. contacts.Select(c => new CampaignRecipient(c, ["Erika"]))], CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var consumer = queue.ConsumeAsync(harness.Core.Get<CampaignSendHandler>(), deliveriesPerBatch: 2, stop.Token);
        var sender = harness.Core.Get<IWorkflowEffects<CampaignEffect, CampaignInput>>();
        var page = new CampaignEffect.SendPage("c-queued", 0, 1, Template, "marketing", true, false);

        // The same dispatch twice (an activity retried after a crash): duplicate detection drops the second enqueue.
        var answers = await Task.WhenAll(sender.ExecuteAsync(page, CancellationToken.None), sender.ExecuteAsync(page, CancellationToken.None));
        await stop.CancelAsync();
        await consumer;

        Assert.All(answers, a => Assert.Equal(30, Assert.IsType<CampaignInput.PageSent>(a).Tally.Sent));
        Assert.All(answers, a => Assert.Equal(0, Assert.IsType<CampaignInput.PageSent>(a).Pending));
        Assert.Equal(30, queue.Accepted);
        Assert.Equal(30, queue.DroppedAsDuplicates);
        var to = harness.SentBodies.Select(body => JsonDocument.Parse(body).RootElement.GetProperty("to").GetString()!).ToList();
        Assert.Equal(30, to.Count);
        Assert.Equal(30, to.Distinct().Count());
    }

    [Fact]
    public async Task Sends_nobody_consumes_leave_the_page_pending_for_a_later_round_instead_of_hanging()
    {
        var queue = new InMemorySessionQueue();
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false, configure: s =>
        {
            s.AddCampaigns(new ConfigurationBuilder().Build());
            s.AddSingleton<ICampaignSendQueue>(queue);
            s.AddSingleton<ICampaignSendLane, QueuedCampaignSendLane>();
            s.AddSingleton<TimeProvider>(new FastClock());
        });
        var contacts = await ContactsAsync(harness, 5, 4000);
        await harness.Core.Get<CampaignRecipientStore>().WriteAsync("c-stuck", [.. contacts.Select(c => new CampaignRecipient(c, []))], CancellationToken.None);
        var sender = harness.Core.Get<IWorkflowEffects<CampaignEffect, CampaignInput>>();

        var answer = Assert.IsType<CampaignInput.PageSent>(await sender.ExecuteAsync(new CampaignEffect.SendPage("c-stuck", 0, 1, Template, "marketing", true, false), CancellationToken.None));

        Assert.Equal(5, answer.Pending);
        Assert.Equal(0, answer.Tally.Sent);
        Assert.Empty(harness.SentBodies);
    }

    private static async Task<List<string>> ContactsAsync(ConsentHarness harness, int count, int firstNumber)
    {
        var keys = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var key = await harness.Core.Get<ContactDirectory>().ResolveOrCreateByPhoneAsync($"+49151{firstNumber + i:D7}", CancellationToken.None);
            await harness.Ledger.AppendAsync(key, Granted(0, "gr-" + i), CancellationToken.None);
            keys.Add(key);
        }

        return keys;
    }

    /// <summary>Time that races ahead by a minute at every reading, so the lane's deadline passes after a few polls.</summary>
    private sealed class FastClock : TimeProvider
    {
        private long _minutes;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddMinutes(Interlocked.Increment(ref _minutes));
    }

    /// <summary>What the lane needs of Service Bus: duplicate detection by MessageId, batches, at-least-once delivery.</summary>
    private sealed class InMemorySessionQueue : ICampaignSendQueue
    {
        private readonly ConcurrentQueue<CampaignSend> _messages = new();
        private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);
        private int _accepted;
        private int _duplicates;

        public int Accepted => _accepted;

        public int DroppedAsDuplicates => _duplicates;

        public Task EnqueueAsync(IReadOnlyList<CampaignSend> sends, CancellationToken cancellationToken)
        {
            foreach (var send in sends)
            {
                if (_seen.TryAdd(send.DeduplicationId, true))
                {
                    Interlocked.Increment(ref _accepted);
                    _messages.Enqueue(CampaignSend.Deserialize(send.Serialize()));
                }
                else
                {
                    Interlocked.Increment(ref _duplicates);
                }
            }

            return Task.CompletedTask;
        }

        public async Task ConsumeAsync(CampaignSendHandler handler, int deliveriesPerBatch, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var batch = new List<ReadOnlyMemory<byte>>();
                while (batch.Count < 50 && _messages.TryDequeue(out var send))
                {
                    batch.Add(send.Serialize());
                }

                for (var delivery = 0; delivery < deliveriesPerBatch && batch.Count > 0; delivery++)
                {
                    await handler.HandleAsync(batch, CancellationToken.None);
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
