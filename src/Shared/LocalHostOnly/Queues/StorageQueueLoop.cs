using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.LocalHostOnly.Queues;

/// <summary>What a handler wants done with a message it has seen.</summary>
public enum QueueDisposition
{
    /// <summary>Handled (or safely parked): delete it.</summary>
    Done,

    /// <summary>Not yet: make it visible again after the given delay.</summary>
    Later,
}

/// <summary>
/// The receive loop LocalHost's queue consumers share: poll with back-off when idle, handle a batch in parallel,
/// delete a message only after its handler finished, and let it reappear (with growing delay) when the handler
/// throws. A crash at any point therefore means redelivery, never loss.
/// </summary>
public static class StorageQueueLoop
{
    public static async Task RunAsync(
        QueueClient queue,
        Func<QueueMessage, CancellationToken, Task<(QueueDisposition Disposition, TimeSpan Delay)>> handle,
        ILogger logger,
        CancellationToken stoppingToken,
        int parallelism = 8)
    {
        var idle = TimeSpan.FromMilliseconds(50);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                batch = (await queue.ReceiveMessagesAsync(maxMessages: 16, visibilityTimeout: TimeSpan.FromMinutes(2), stoppingToken)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // At start-up the queue may not exist yet for a moment; only a queue that stays away is news.
                failures++;
                logger.Log(failures >= 3 ? LogLevel.Warning : LogLevel.Debug, "Queue {Queue} unavailable ({ErrorType}); retrying", queue.Name, e.GetType().Name);
                await DelayAsync(TimeSpan.FromSeconds(failures < 3 ? 1 : 2), stoppingToken);
                continue;
            }

            failures = 0;

            if (batch.Length == 0)
            {
                await DelayAsync(idle, stoppingToken);
                idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, 1000));
                continue;
            }

            idle = TimeSpan.FromMilliseconds(50);
            await Parallel.ForEachAsync(
                batch,
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = stoppingToken },
                async (message, token) => await HandleOneAsync(queue, message, handle, logger, token));
        }
    }

    private static async Task HandleOneAsync(
        QueueClient queue,
        QueueMessage message,
        Func<QueueMessage, CancellationToken, Task<(QueueDisposition Disposition, TimeSpan Delay)>> handle,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        try
        {
            var (disposition, delay) = await handle(message, cancellationToken);
            if (disposition == QueueDisposition.Done)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            else
            {
                await RescheduleAsync(queue, message, delay, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the message becomes visible again after its timeout.
        }
        catch (Exception e)
        {
            logger.LogWarning("Message on {Queue} failed on attempt {Attempt} ({ErrorType}); it will be retried", queue.Name, message.DequeueCount, e.GetType().Name);
            await RescheduleAsync(queue, message, TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, message.DequeueCount))), cancellationToken);
        }
    }

    private static async Task RescheduleAsync(QueueClient queue, QueueMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken);
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
