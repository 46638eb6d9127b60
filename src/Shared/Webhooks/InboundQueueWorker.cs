using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// LocalHost's consumer of the inbound Storage Queue (Azure uses the Service Bus trigger instead). A message is
/// deleted only after it was processed or parked, so a crash at any point means redelivery, never loss.
/// </summary>
public sealed class InboundQueueWorker(StorageClients storage, QueuedWebhookHandler handler, ILogger<InboundQueueWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RetrySoon = TimeSpan.FromSeconds(3);
    private readonly QueueClient _queue = storage.Queue(StorageNames.InboundQueue);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(50);
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                batch = (await _queue.ReceiveMessagesAsync(maxMessages: 16, visibilityTimeout: Visibility, stoppingToken)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Inbound queue unavailable ({ErrorType}); retrying", e.GetType().Name);
                await DelayAsync(TimeSpan.FromSeconds(2), stoppingToken);
                continue;
            }

            if (batch.Length == 0)
            {
                await DelayAsync(idle, stoppingToken);
                idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, 1000));
                continue;
            }

            idle = TimeSpan.FromMilliseconds(50);
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stoppingToken }, HandleAsync);
        }
    }

    private async ValueTask HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await handler.HandleAsync(message.Body.ToMemory(), message.InsertedOn ?? DateTimeOffset.UtcNow, (int)message.DequeueCount, cancellationToken);
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the message becomes visible again after its timeout.
        }
        catch (WebhookRetryLaterException)
        {
            await TryRescheduleAsync(message, RetrySoon, cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogWarning("Webhook message failed on attempt {Attempt} ({ErrorType}); it will be retried", message.DequeueCount, e.GetType().Name);
            await TryRescheduleAsync(message, TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, message.DequeueCount))), cancellationToken);
        }
    }

    private async Task TryRescheduleAsync(QueueMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The message reappears after its original visibility timeout anyway.
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
