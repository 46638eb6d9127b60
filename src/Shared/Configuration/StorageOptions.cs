namespace Messaging.Shared.Configuration;

/// <summary>
/// Where the app's tables, queues and blobs live (section <c>Storage</c>). Either a connection string
/// (Azurite, local only) or service URIs used with a managed identity (Azure).
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty means the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prefix for every table, queue and container name, so several environments can share an account.</summary>
    public string NamePrefix { get; set; } = "";

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}
