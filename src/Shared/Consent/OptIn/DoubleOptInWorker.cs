using Azure.Storage.Queues.Models;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>LocalHost's consumer of the workflow queue: hands each input to the table driver.</summary>
public sealed class DoubleOptInWorker(StorageClients storage, TableDoubleOptInDriver driver, ILogger<DoubleOptInWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        StorageQueueLoop.RunAsync(storage.Queue(StorageNames.WorkflowEventsQueue), HandleAsync, logger, stoppingToken, parallelism: 4);

    private async Task<(QueueDisposition, TimeSpan)> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var (done, retryAfter) = await driver.HandleAsync(DoubleOptInWorkflowMessage.FromBinary(message.Body), cancellationToken);
        return done ? (QueueDisposition.Done, TimeSpan.Zero) : (QueueDisposition.Later, retryAfter);
    }
}
