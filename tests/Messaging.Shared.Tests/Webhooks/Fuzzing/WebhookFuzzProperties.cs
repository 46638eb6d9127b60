using Azure.Data.Tables;
using FsCheck;
using FsCheck.Xunit;
using Messaging.Shared.Messages;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Tests.Webhooks.Fuzzing;

/// <summary>
/// Signed, mutated webhooks built from real shapes, with fixed seeds so every run is the same. The parser sees many of
/// them (pure, fast); the ack and the processor on Azurite see fewer. The long run (100 000 bodies over HTTP) is in
/// bench/ (run-processing-benchmark.sh --only fuzz).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookFuzzProperties(AzuriteFixture azurite)
{
    [Property(MaxTest = 4000, Replay = "20261130,4243")]
    public bool The_parser_only_ever_rejects_a_body_as_a_whole_with_a_reason_and_keeps_every_untouched_message(NonNegativeInt pick, int seed)
    {
        var original = FuzzCorpus.Body(pick.Get, seed);
        var mutated = WebhookMutator.Mutate(original, seed);
        ParsedWebhook parsed;
        try
        {
            parsed = WebhookParser.Read(mutated);
        }
        catch (WebhookPayloadException e)
        {
            return e.Message.Length > 0 && FuzzCorpus.MustBeStored(original, mutated).Count == 0;
        }

        var ids = parsed.Events.OfType<InboundMessage>().Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        return FuzzCorpus.MustBeStored(original, mutated).All(ids.Contains)
            && parsed.Events.OfType<InboundMessage>().All(m => m.MessageId.Length <= 512 && m.Type.Length <= 64 && (m.FromWaId?.Length ?? 0) <= 32)
            && parsed.Events.OfType<StatusUpdate>().All(s => s.MessageId.Length <= 512 && s.Status.Length <= 32)
            && parsed.Problems.All(p => p.Length is > 0 and < 300);
    }

    [Property(MaxTest = 120, Replay = "20261130,777")]
    public async Task<bool> Every_signed_mutated_body_is_acknowledged_then_processed_or_parked_with_a_reason_and_loses_no_untouched_message(NonNegativeInt pick, int seed)
    {
        var core = await Core();
        var original = FuzzCorpus.Body(pick.Get, seed);
        var mutated = WebhookMutator.Mutate(original, seed);
        if (await core.Get<WebhookIngress>().AcceptAsync(core.Signature.Sign(mutated), mutated, CancellationToken.None) != IngressStatus.Accepted)
        {
            return false;
        }

        var queue = core.Get<StorageClients>().Queue(StorageNames.InboundQueue);
        var outcomes = new List<ProcessingOutcome>();
        foreach (var message in (await queue.ReceiveMessagesAsync(32)).Value)
        {
            outcomes.Add(await core.Get<QueuedWebhookHandler>().HandleAsync(message.Body.ToMemory(), DateTimeOffset.UtcNow, 1, CancellationToken.None));
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        var parked = await core.Get<ParkedWebhookStore>().GetAsync(WebhookEnvelope.IdOf(mutated), CancellationToken.None);
        var storage = core.Get<StorageClients>();
        var store = core.Get<MessageStore>();
        foreach (var id in FuzzCorpus.MustBeStored(original, mutated))
        {
            // The contact is not known here: the row is in one of the shard tables.
            var rowKey = store.RowKeyOf(id);
            var found = false;
            foreach (var table in MessageTables.All)
            {
                found = found || await storage.Table(table).QueryAsync<TableEntity>(e => e.RowKey == rowKey, select: ["RowKey"]).AnyAsync();
            }

            if (!found)
            {
                return false;
            }
        }

        return outcomes.Count == 1
            && (outcomes[0] == ProcessingOutcome.Processed ? parked is null : parked is { Reason.Length: > 0 });
    }

    private static CoreHarness? _core;

    /// <summary>One composed core for all cases: fresh tables per case would dominate the run; wamids differ per case.</summary>
    private async Task<CoreHarness> Core() => _core ??= await CoreHarness.StartAsync(azurite);
}
