using Azure.Storage.Queues.Models;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.LocalHostOnly.Queues;

/// <summary>
/// LocalHost's consumer of the outbound Storage Queue (Azure uses a Service Bus trigger). Separate from inbound
/// processing, so a slow or unreachable Meta never holds up storing what customers write. Meta's per-number pace is
/// kept by the throughput limiter inside the messenger; a few parallel sends are enough to reach it.
/// </summary>
public sealed class OutboundSendWorker(StorageClients storage, OutboundSendHandler handler, ILogger<OutboundSendWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        StorageQueueLoop.RunAsync(storage.Queue(StorageNames.OutboundQueue), HandleAsync, logger, stoppingToken, parallelism: 8);

    private async Task<(QueueDisposition, TimeSpan)> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await handler.HandleAsync(message.Body.ToMemory(), cancellationToken);
        return (QueueDisposition.Done, TimeSpan.Zero);
    }
}
