using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Tests.Integration;

/// <summary>Drains the inbound queue the way the worker does, but step by step so tests control concurrency.</summary>
public static class QueueDriver
{
    public static async Task<List<(WebhookEnvelope Envelope, int DequeueCount, string MessageId, string PopReceipt)>> ReceiveAllAsync(StorageClients storage)
    {
        var queue = storage.Queue(StorageNames.InboundQueue);
        var received = new List<(WebhookEnvelope, int, string, string)>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
            if (batch.Length == 0)
            {
                return received;
            }

            // One queue message may carry several envelopes: the ack commits concurrent webhooks together.
            received.AddRange(batch.SelectMany(m => WebhookEnvelope.DeserializeMany(m.Body.ToMemory().Span).Select(e => (e, (int)m.DequeueCount, m.MessageId, m.PopReceipt))));
        }
    }

    /// <summary>Processes one envelope, as the worker would.</summary>
    public static Task<ProcessingOutcome> ProcessAsync(InboundWebhookProcessor processor, WebhookEnvelope envelope, int attempt = 1) =>
        processor.ProcessAsync(envelope, attempt, CancellationToken.None);
}
