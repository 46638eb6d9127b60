using Messaging.Shared.Backups;
using Messaging.Shared.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Backups;

/// <summary>
/// Backups without HTTP, as LocalHost's BackupScheduler and BackupWorker: the daily timer (schedule from Backup:Schedule)
/// queues the day's backup, and the queue trigger takes it (idempotent by id, resumed after a crash; after five failed
/// attempts the runtime moves the message to the poison queue).
/// </summary>
public sealed class BackupTriggers(BackupOperations operations)
{
    [Function("ScheduledBackup")]
    public Task ScheduledAsync([TimerTrigger("%Backup:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        operations.StartDailyAsync(cancellationToken);

    [Function("RunBackup")]
    public Task RunAsync(
        [QueueTrigger(StorageNames.BackupsQueue, Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        operations.HandleAsync(message, dequeueCount, cancellationToken);
}
