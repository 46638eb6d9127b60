using Azure.Storage.Queues.Models;
using Messaging.Shared.Events;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Storage;

namespace Messaging.LocalHost.Events;

/// <summary>LocalHost's consumer of the events-out queue (Azure: a queue trigger onto the same handler).</summary>
public sealed class EventDeliveryWorker(StorageClients storage, EventDeliveryOperations operations, ILogger<EventDeliveryWorker> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        StorageQueueLoop.RunAsync(storage.Queue(StorageNames.EventsOutQueue), HandleAsync, logger, stoppingToken, parallelism: 16);

    private async Task<(QueueDisposition, TimeSpan)> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await operations.HandleAsync(message.Body.ToString(), cancellationToken);
        return (QueueDisposition.Done, TimeSpan.Zero);
    }
}
