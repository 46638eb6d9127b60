using Azure.Storage.Queues.Models;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Retention.Api;
using Messaging.Shared.Storage;

namespace Messaging.LocalHost.Retention;

/// <summary>LocalHost's consumer of the retention-sweeps queue (Azure: a queue trigger onto the same handler).</summary>
public sealed class RetentionSweepWorker(StorageClients storage, RetentionSweepOperations operations, ILogger<RetentionSweepWorker> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        StorageQueueLoop.RunAsync(storage.Queue(StorageNames.RetentionSweepsQueue), HandleAsync, logger, stoppingToken, parallelism: 1);

    private async Task<(QueueDisposition, TimeSpan)> HandleAsync(QueueMessage message, CancellationToken cancellationToken) =>
        await operations.HandleAsync(message.Body.ToString(), message.DequeueCount, cancellationToken) is { } later
            ? (QueueDisposition.Later, later)
            : (QueueDisposition.Done, TimeSpan.Zero);
}
