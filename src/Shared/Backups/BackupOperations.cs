using System.Text.Json;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Backups;

/// <summary>
/// Backups off the request path, for both hosts: a request (HTTP or the daily timer) only puts the backup's id on the
/// backups queue; the queue consumer (LocalHost's BackupWorker, Azure's queue trigger) takes it. Taking a backup is
/// idempotent by id and resumes where a worker that died left it, so at-least-once delivery makes one backup.
/// </summary>
public sealed class BackupOperations(StorageClients storage, BackupService backups, TimeProvider time)
{
    /// <summary>Asks for a backup now; it is listed once its manifest is written.</summary>
    public Task<BackupAccepted> StartAsync(CancellationToken cancellationToken) =>
        EnqueueAsync(BackupService.NewBackupId(time.GetUtcNow()), cancellationToken);

    /// <summary>Asks for today's scheduled backup: one id a day, however many instances' timers fire.</summary>
    public Task<BackupAccepted> StartDailyAsync(CancellationToken cancellationToken) =>
        EnqueueAsync(BackupService.DailyBackupId(time.GetUtcNow()), cancellationToken);

    /// <summary>After this many attempts a backup is given up (Azure moves its message to the poison queue); tomorrow's runs.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Takes the backup a queue message names (malformed messages are dropped: there is nothing to retry).</summary>
    public async Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        if (dequeueCount > MaxAttempts)
        {
            return;
        }

        BackupAccepted? request;
        try
        {
            request = JsonSerializer.Deserialize<BackupAccepted>(message);
        }
        catch (JsonException)
        {
            return;
        }

        if (request?.BackupId is { } backupId && BackupService.IsKeySafe(backupId))
        {
            await backups.CreateAsync(backupId, cancellationToken);
        }
    }

    private async Task<BackupAccepted> EnqueueAsync(string backupId, CancellationToken cancellationToken)
    {
        var accepted = new BackupAccepted(backupId);
        await storage.Queue(StorageNames.BackupsQueue).SendMessageAsync(JsonSerializer.Serialize(accepted), cancellationToken);
        return accepted;
    }
}
