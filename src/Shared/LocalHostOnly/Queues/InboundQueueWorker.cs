using Azure.Storage.Queues.Models;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.LocalHostOnly.Queues;

/// <summary>
/// LocalHost's consumer of the inbound Storage Queue (Azure uses the Service Bus trigger instead). A message is
/// deleted only after it was processed or parked, so a crash at any point means redelivery, never loss.
/// </summary>
public sealed class InboundQueueWorker(StorageClients storage, QueuedWebhookHandler handler, ILogger<InboundQueueWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetrySoon = TimeSpan.FromSeconds(3);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        StorageQueueLoop.RunAsync(storage.Queue(StorageNames.InboundQueue), HandleAsync, logger, stoppingToken);

    private async Task<(QueueDisposition, TimeSpan)> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await handler.HandleAsync(message.Body.ToMemory(), message.InsertedOn ?? DateTimeOffset.UtcNow, (int)message.DequeueCount, cancellationToken);
            return (QueueDisposition.Done, TimeSpan.Zero);
        }
        catch (WebhookRetryLaterException)
        {
            return (QueueDisposition.Later, RetrySoon);
        }
    }
}
