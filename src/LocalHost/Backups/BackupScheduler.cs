using Messaging.Shared.Backups;
using Messaging.Shared.Retention;
using Microsoft.Extensions.Options;

namespace Messaging.LocalHost.Backups;

/// <summary>
/// LocalHost's daily backup, on the schedule the Functions timer reads (Backup:Schedule). It only queues the day's backup;
/// the id is the day's, so several LocalHost processes make one backup between them.
/// </summary>
public sealed partial class BackupScheduler(BackupOperations operations, IOptions<BackupOptions> options, TimeProvider time, ILogger<BackupScheduler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = RetentionSchedule.TryParse(options.Value.Schedule)!;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            try
            {
                await Task.Delay(schedule.NextAfter(now) - now, time, stoppingToken);
                Requested(logger, (await operations.StartDailyAsync(stoppingToken)).BackupId);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
            {
                Failed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled backup {BackupId} requested")]
    private static partial void Requested(ILogger logger, string backupId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled backup could not be requested ({ErrorType}); next run tomorrow")]
    private static partial void Failed(ILogger logger, string errorType);
}
