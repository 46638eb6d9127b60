using Messaging.Shared.Retention.Api;
using Messaging.Shared.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Retention;

/// <summary>
/// Retention sweeps without HTTP, as LocalHost's RetentionScheduler and RetentionSweepWorker: the daily timer (schedule
/// from Retention:Schedule) and the queue trigger that runs a sweep under its lease. (Backups: BackupTriggers.)
/// </summary>
public sealed class RetentionSweepTriggers(RetentionSweepOperations operations)
{
    /// <summary>The daily sweep is queued; the queue trigger below runs it.</summary>
    [Function("ScheduledRetentionSweep")]
    public Task ScheduledAsync([TimerTrigger("%Retention:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        operations.StartAsync(cancellationToken);

    /// <summary>A busy lease throws so the runtime retries with its back-off; a dead sweep's message reappears and resumes.</summary>
    [Function("RunRetentionSweep")]
    public async Task RunAsync(
        [QueueTrigger(StorageNames.RetentionSweepsQueue, Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        if (await operations.HandleAsync(message, dequeueCount, cancellationToken) is not null)
        {
            throw new InvalidOperationException("Another retention sweep holds the lease; retried later.");
        }
    }
}
