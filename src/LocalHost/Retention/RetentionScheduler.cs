using Messaging.Shared.Retention;
using Messaging.Shared.Retention.Api;
using Microsoft.Extensions.Options;

namespace Messaging.LocalHost.Retention;

/// <summary>
/// LocalHost's daily sweep, on the schedule the Functions timer reads (Retention:Schedule). Several LocalHost processes
/// may each start one sweep: the lease lets only one run, and the others join it. (The daily backup has its own
/// schedule: BackupScheduler.)
/// </summary>
public sealed partial class RetentionScheduler(
    RetentionSweepOperations operations, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionScheduler> logger)
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
                var started = await operations.StartAsync(stoppingToken);
                Started(logger, started.SweepId);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled retention sweep {SweepId} requested")]
    private static partial void Started(ILogger logger, string sweepId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled retention sweep could not be requested ({ErrorType}); next run tomorrow")]
    private static partial void Failed(ILogger logger, string errorType);
}
