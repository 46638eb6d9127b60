using Azure.Storage.Queues.Models;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.LocalHostOnly.Queues;

/// <summary>
/// LocalHost's consumer of the inbound Storage Queue (Azure uses the Service Bus trigger instead). A message is
/// deleted only after it was processed or parked, so a crash at any point means redelivery, never loss. How many
/// webhooks run at once is bounded (<see cref="ProcessingOptions.MaxConcurrentWebhooks"/>): on LocalHost processing
/// shares Azurite with the ack, which must keep answering quickly.
/// </summary>
public sealed class InboundQueueWorker(StorageClients storage, QueuedWebhookHandler handler, IOptions<ProcessingOptions> options, ILogger<InboundQueueWorker> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        StorageQueueLoop.RunAsync(
            storage.Queue(StorageNames.InboundQueue), HandleAsync, logger, stoppingToken, options.Value.MaxConcurrentWebhooks, options.Value.VisibilityTimeout);

    private async Task<(QueueDisposition, TimeSpan)> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await handler.HandleAsync(message.Body.ToMemory(), message.InsertedOn ?? DateTimeOffset.UtcNow, (int)message.DequeueCount, cancellationToken);
        return (QueueDisposition.Done, TimeSpan.Zero);
    }
}
