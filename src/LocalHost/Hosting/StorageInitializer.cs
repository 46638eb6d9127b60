using Messaging.Shared.Storage;

namespace Messaging.LocalHost.Hosting;

/// <summary>Creates tables, queues and containers before the app serves requests (Bicep does this in Azure).</summary>
public sealed class StorageInitializer(StorageClients storage, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await storage.EnsureCreatedAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (attempt < 30 && e is not OperationCanceledException)
            {
                logger.LogWarning("Storage not ready ({ErrorType}); retrying", e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
