using Messaging.Shared.Storage;

namespace Messaging.Shared.Health;

/// <summary>The body of <c>GET /api/health</c> on every host, so a probe reads the same JSON from LocalHost and Azure.</summary>
public sealed record HealthReport(string Status, string Storage)
{
    public static HealthReport Healthy { get; } = new("healthy", "reachable");

    public static HealthReport Unhealthy { get; } = new("unhealthy", "unreachable");

    /// <summary>Asks storage with a short timeout: a probe must answer quickly even while storage hangs.</summary>
    public static async Task<HealthReport> CheckAsync(StorageClients storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        return await storage.IsReachableAsync(timeout.Token) ? Healthy : Unhealthy;
    }
}
