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

            received.AddRange(batch.Select(m => (WebhookEnvelope.Deserialize(m.Body.ToMemory().Span), (int)m.DequeueCount, m.MessageId, m.PopReceipt)));
        }
    }

    /// <summary>Processes one envelope, retrying while another worker holds one of its events, as the worker would.</summary>
    public static async Task<ProcessingOutcome> ProcessWithRetriesAsync(InboundWebhookProcessor processor, WebhookEnvelope envelope, int attempt = 1)
    {
        for (var round = 0; ; round++)
        {
            try
            {
                return await processor.ProcessAsync(envelope, attempt, CancellationToken.None);
            }
            catch (WebhookRetryLaterException) when (round < 200)
            {
                await Task.Delay(50);
            }
        }
    }
}
