using Azure.Storage.Queues.Models;
using Messaging.Shared.Backups;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Storage;

namespace Messaging.LocalHost.Backups;

/// <summary>LocalHost's consumer of the backups queue (Azure: the RunBackup queue trigger onto the same handler).</summary>
public sealed class BackupWorker(StorageClients storage, BackupOperations operations, ILogger<BackupWorker> logger) : BackgroundService
{
    // A backup runs for minutes: its message stays invisible while it runs (the loop renews it) and reappears soon after a crash.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        StorageQueueLoop.RunAsync(storage.Queue(StorageNames.BackupsQueue), HandleAsync, logger, stoppingToken, parallelism: 1);

    private async Task<(QueueDisposition, TimeSpan)> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await operations.HandleAsync(message.Body.ToString(), message.DequeueCount, cancellationToken);
        return (QueueDisposition.Done, TimeSpan.Zero);
    }
}
