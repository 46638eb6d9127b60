using Messaging.Shared.Storage;

namespace Messaging.LocalHost.Hosting;

/// <summary>
/// Creates tables, queues and containers (Bicep does this in Azure). Runs in the background and keeps trying,
/// so the app starts and reports 503 on /api/health while storage is down instead of refusing to start.
/// </summary>
public sealed class StorageInitializer(StorageClients storage, ILogger<StorageInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await storage.EnsureCreatedAsync(stoppingToken);
                logger.LogInformation("Storage is ready");
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Storage not ready ({ErrorType}); retrying in {Delay}", e.GetType().Name, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }
}
