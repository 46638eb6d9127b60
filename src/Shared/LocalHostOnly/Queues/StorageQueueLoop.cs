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
/// The receive loop LocalHost's queue consumers share. It keeps up to <c>parallelism</c> messages in flight and
/// fetches more as handlers finish (not batch by batch, so one slow message does not idle the others), polls with
/// back-off when the queue is empty or unreachable, deletes a message only after its handler finished, and lets it
/// reappear (with growing delay) when the handler throws. While a handler runs, its message's invisibility is renewed,
/// so a short visibility timeout brings a message back soon after a crash without doubling long-running work.
/// A crash at any point therefore means redelivery, never loss.
/// </summary>
public static class StorageQueueLoop
{
    private const int MaxReceive = 32; // the Storage Queue limit per receive

    public static async Task RunAsync(
        QueueClient queue,
        Func<QueueMessage, CancellationToken, Task<(QueueDisposition Disposition, TimeSpan Delay)>> handle,
        ILogger logger,
        CancellationToken stoppingToken,
        int parallelism = 8,
        TimeSpan? visibilityTimeout = null,
        QueueWakeups? wakeups = null)
    {
        var visibility = visibilityTimeout ?? TimeSpan.FromSeconds(30);
        using var slots = new SemaphoreSlim(parallelism, parallelism);
        var inFlight = new List<Task>();
        var idle = TimeSpan.FromMilliseconds(50);
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                int free;
                try
                {
                    free = await TakeFreeSlotsAsync(slots, parallelism, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                // Taken before the receive: a message stored (and nudged) while the receive runs ends the idle wait below.
                var nudged = wakeups?.Next(queue.Name);
                QueueMessage[] batch;
                try
                {
                    batch = (await queue.ReceiveMessagesAsync(maxMessages: free, visibilityTimeout: visibility, stoppingToken)).Value;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    slots.Release(free);
                    return;
                }
                catch (Exception e)
                {
                    slots.Release(free);
                    // At start-up the queue may not exist yet for a moment; only a queue that stays away is news.
                    failures++;
                    logger.Log(failures >= 3 ? LogLevel.Warning : LogLevel.Debug, "Queue {Queue} unavailable ({ErrorType}); retrying", queue.Name, e.GetType().Name);
                    await DelayAsync(TimeSpan.FromSeconds(failures < 3 ? 1 : 2), stoppingToken);
                    continue;
                }

                failures = 0;
                if (free > batch.Length)
                {
                    slots.Release(free - batch.Length);
                }

                if (batch.Length == 0)
                {
                    var woken = await IdleAsync(idle, nudged, stoppingToken);
                    idle = woken ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, 1000));
                    continue;
                }

                idle = TimeSpan.FromMilliseconds(50);
                inFlight.RemoveAll(t => t.IsCompleted);
                foreach (var message in batch)
                {
                    inFlight.Add(RunOneAsync(queue, message, handle, logger, visibility, slots, stoppingToken));
                }
            }
        }
        finally
        {
            // Let handlers that are running finish or observe the cancellation; their messages reappear otherwise.
            await Task.WhenAll(inFlight);
        }
    }

    /// <summary>
    /// Waits for one free slot, then gathers more for a moment: receiving one message per call would cost a storage
    /// round trip per message, receiving only when all slots are free would idle them.
    /// </summary>
    private static async Task<int> TakeFreeSlotsAsync(SemaphoreSlim slots, int parallelism, CancellationToken stoppingToken)
    {
        await slots.WaitAsync(stoppingToken);
        var taken = 1;
        var limit = Math.Min(MaxReceive, parallelism);
        var wanted = Math.Min(limit, Math.Max(1, parallelism / 2));
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency / 50;
        while (taken < limit)
        {
            if (slots.Wait(0, CancellationToken.None))
            {
                taken++;
                continue;
            }

            var remaining = System.Diagnostics.Stopwatch.GetElapsedTime(System.Diagnostics.Stopwatch.GetTimestamp(), deadline);
            if (taken >= wanted || remaining <= TimeSpan.Zero)
            {
                break;
            }

            try
            {
                if (await slots.WaitAsync(remaining < TimeSpan.FromMilliseconds(5) ? remaining : TimeSpan.FromMilliseconds(5), stoppingToken))
                {
                    taken++;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return taken;
    }

    private static async Task RunOneAsync(
        QueueClient queue,
        QueueMessage message,
        Func<QueueMessage, CancellationToken, Task<(QueueDisposition Disposition, TimeSpan Delay)>> handle,
        ILogger logger,
        TimeSpan visibility,
        SemaphoreSlim slots,
        CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            await HandleOneAsync(queue, message, handle, logger, visibility, cancellationToken);
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task HandleOneAsync(
        QueueClient queue,
        QueueMessage message,
        Func<QueueMessage, CancellationToken, Task<(QueueDisposition Disposition, TimeSpan Delay)>> handle,
        ILogger logger,
        TimeSpan visibility,
        CancellationToken cancellationToken)
    {
        var lease = new Lease(message.PopReceipt);
        using var stopRenewal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = RenewAsync(queue, message.MessageId, lease, visibility, stopRenewal.Token);
        try
        {
            var (disposition, delay) = await handle(message, cancellationToken);
            await StopAsync(stopRenewal, renewal);
            if (disposition == QueueDisposition.Done)
            {
                await queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, cancellationToken);
            }
            else
            {
                await RescheduleAsync(queue, message.MessageId, lease.PopReceipt, delay, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the message becomes visible again after its timeout.
            await StopAsync(stopRenewal, renewal);
        }
        catch (Exception e)
        {
            await StopAsync(stopRenewal, renewal);
            logger.LogWarning("Message on {Queue} failed on attempt {Attempt} ({ErrorType}); it will be retried", queue.Name, message.DequeueCount, e.GetType().Name);
            await RescheduleAsync(queue, message.MessageId, lease.PopReceipt, TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, message.DequeueCount))), cancellationToken);
        }
    }

    /// <summary>Keeps a message hidden while its handler runs; every renewal hands out a new pop receipt.</summary>
    private static async Task RenewAsync(QueueClient queue, string messageId, Lease lease, TimeSpan visibility, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(visibility / 2, stop);
                var renewed = await queue.UpdateMessageAsync(messageId, lease.PopReceipt, visibilityTimeout: visibility, cancellationToken: stop);
                lease.PopReceipt = renewed.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception)
        {
            // Storage is away: the message may reappear before the handler finishes. Its effects are idempotent.
        }
    }

    private static async Task StopAsync(CancellationTokenSource stopRenewal, Task renewal)
    {
        await stopRenewal.CancelAsync();
        await renewal;
    }

    private static async Task RescheduleAsync(QueueClient queue, string messageId, string popReceipt, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await queue.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The message reappears after its visibility timeout anyway.
        }
    }

    /// <returns>Whether a nudge ended the wait.</returns>
    private static async Task<bool> IdleAsync(TimeSpan delay, Task? nudged, CancellationToken cancellationToken)
    {
        if (nudged is null)
        {
            await DelayAsync(delay, cancellationToken);
            return false;
        }

        try
        {
            await nudged.WaitAsync(delay, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            return false;
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

    private sealed class Lease(string popReceipt)
    {
        public string PopReceipt { get; set; } = popReceipt;
    }
}
