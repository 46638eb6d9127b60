using Azure.Storage.Queues.Models;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Storage;
using Messaging.Shared.Workflows;

namespace Messaging.LocalHost.Workflows;

/// <summary>LocalHost's consumer of the workflow queue: hands each request to the table driver.</summary>
public sealed class WorkflowQueueWorker(StorageClients storage, TableWorkflowDriver driver, ILogger<WorkflowQueueWorker> logger, QueueWakeups? wakeups = null) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        StorageQueueLoop.RunAsync(storage.Queue(StorageNames.WorkflowEventsQueue), HandleAsync, logger, stoppingToken, parallelism: 4, wakeups: wakeups);

    private async Task<(QueueDisposition, TimeSpan)> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var later = await driver.HandleAsync(WorkflowRequest.FromBinary(message.Body), message.DequeueCount, cancellationToken);
        return later is { } delay ? (QueueDisposition.Later, delay) : (QueueDisposition.Done, TimeSpan.Zero);
    }
}
