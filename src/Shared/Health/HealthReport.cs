using Messaging.Shared.Storage;

namespace Messaging.Shared.Health;

/// <summary>Whether each storage service answered: "reachable" or "unreachable".</summary>
public sealed record StorageHealth(string Tables, string Queues, string Blobs)
{
    public bool AllReachable => Tables == HealthReport.Reachable && Queues == HealthReport.Reachable && Blobs == HealthReport.Reachable;
}

/// <summary>
/// The body of <c>GET /api/health</c> on every host, so a probe reads the same JSON from LocalHost and Azure. It names
/// what is down: tables (contacts, messages, consent), queues (the ack's hand-off and every worker) and blobs (large
/// webhook bodies and parked evidence) fail independently, and each costs something different.
/// </summary>
public sealed record HealthReport(string Status, string Storage, StorageHealth Services)
{
    public const string Reachable = "reachable";
    public const string Unreachable = "unreachable";

    /// <summary>Each service is asked in parallel with this limit: a probe must answer quickly even while storage hangs.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public bool IsHealthy => Status == "healthy";

    public static async Task<HealthReport> CheckAsync(StorageClients storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        var probes = await Task.WhenAll(
            storage.IsReachableAsync(StorageService.Tables, timeout.Token),
            storage.IsReachableAsync(StorageService.Queues, timeout.Token),
            storage.IsReachableAsync(StorageService.Blobs, timeout.Token));
        var services = new StorageHealth(State(probes[0]), State(probes[1]), State(probes[2]));
        return services.AllReachable
            ? new HealthReport("healthy", Reachable, services)
            : new HealthReport("unhealthy", probes.Any(p => p) ? "partly reachable" : Unreachable, services);
    }

    private static string State(bool reachable) => reachable ? Reachable : Unreachable;
}
