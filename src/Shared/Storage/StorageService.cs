namespace Messaging.Shared.Storage;

/// <summary>The three storage services the app depends on, each probed on its own by the health check.</summary>
public enum StorageService
{
    Tables,
    Queues,
    Blobs,
}
