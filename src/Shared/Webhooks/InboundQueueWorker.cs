using Azure.Storage.Queues.Models;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// LocalHost's consumer of the inbound Storage Queue (Azure uses the Service Bus trigger instead). A message is
/// deleted only after it was processed or parked, so a crash at any point means redelivery, never loss.
/// </summary>
public sealed class InboundQueueWorker(StorageClients storage, InboundWebhookProcessor processor, ParkedWebhookStore parked, ILogger<InboundQueueWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetrySoon = TimeSpan.FromSeconds(3);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        StorageQueueLoop.RunAsync(storage.Queue(StorageNames.InboundQueue), HandleAsync, logger, stoppingToken);

    private async Task<(QueueDisposition, TimeSpan)> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        WebhookEnvelope envelope;
        try
        {
            envelope = WebhookEnvelope.Deserialize(message.Body.ToMemory().Span);
        }
        catch (WebhookPayloadException)
        {
            // Not written by our ack; keep it where an operator can see it rather than drop it.
            var raw = message.Body.ToArray();
            var orphan = new WebhookEnvelope(WebhookEnvelope.IdOf(raw), message.InsertedOn ?? DateTimeOffset.UtcNow, raw, null);
            await parked.ParkAsync(orphan, raw, "Queue message is not a webhook envelope.", (int)message.DequeueCount, cancellationToken);
            return (QueueDisposition.Done, TimeSpan.Zero);
        }

        try
        {
            await processor.ProcessAsync(envelope, (int)message.DequeueCount, cancellationToken);
            return (QueueDisposition.Done, TimeSpan.Zero);
        }
        catch (WebhookRetryLaterException)
        {
            return (QueueDisposition.Later, RetrySoon);
        }
    }
}
