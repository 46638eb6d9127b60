using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Messaging.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Storage;

/// <summary>
/// One place that knows how to reach storage: a connection string for Azurite, service URIs plus a managed
/// identity in Azure (shared keys are disabled there). Clients are thread-safe and cached.
/// </summary>
public sealed class StorageClients
{
    private readonly StorageOptions _options;
    private readonly TableServiceClient _tables;
    private readonly QueueServiceClient _queues;
    private readonly BlobServiceClient _blobs;

    public StorageClients(IOptions<StorageOptions> options)
    {
        _options = options.Value;
        if (_options.UsesConnectionString)
        {
            _tables = new TableServiceClient(_options.ConnectionString, TableOptions());
            _queues = new QueueServiceClient(_options.ConnectionString, QueueOptions());
            _blobs = new BlobServiceClient(_options.ConnectionString, BlobOptions());
        }
        else
        {
            if (_options.TableServiceUri is null || _options.QueueServiceUri is null || _options.BlobServiceUri is null)
            {
                throw new InvalidOperationException(
                    "Storage is not configured: set Storage:ConnectionString (local) or Storage:TableServiceUri, Storage:QueueServiceUri and Storage:BlobServiceUri (Azure).");
            }

            TokenCredential credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(_options.ManagedIdentityClientId) ? null : _options.ManagedIdentityClientId,
            });
            _tables = new TableServiceClient(_options.TableServiceUri, credential, TableOptions());
            _queues = new QueueServiceClient(_options.QueueServiceUri, credential, QueueOptions());
            _blobs = new BlobServiceClient(_options.BlobServiceUri, credential, BlobOptions());
        }
    }

    public TableClient Table(string name) => _tables.GetTableClient(_options.NamePrefix + name);

    public QueueClient Queue(string name) => _queues.GetQueueClient((_options.NamePrefix + name).ToLowerInvariant());

    public BlobContainerClient Container(string name) => _blobs.GetBlobContainerClient((_options.NamePrefix + name).ToLowerInvariant());

    /// <summary>
    /// The tables whose (unprefixed) name starts with <paramref name="startsWith"/>, unprefixed: for tables the app
    /// creates at run time (the retention index's day tables) and for backups.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListTablesAsync(string startsWith, CancellationToken cancellationToken)
    {
        var full = _options.NamePrefix + startsWith;
        var names = new List<string>();
        // Table names compare case-insensitively in the service; the range filter narrows, the ordinal check decides.
        await foreach (var table in _tables.QueryAsync(TableClient.CreateQueryFilter($"TableName ge {full} and TableName lt {full + "~"}"), cancellationToken: cancellationToken))
        {
            if (table.Name.StartsWith(full, StringComparison.Ordinal))
            {
                names.Add(table.Name[_options.NamePrefix.Length..]);
            }
        }

        return names;
    }

    /// <summary>Creates every table, queue and container that does not exist yet. Safe to call on every start.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(StorageNames.Tables.Select(t => Table(t).CreateIfNotExistsAsync(cancellationToken)));
        await Task.WhenAll(StorageNames.Queues.Select(q => Queue(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        await Task.WhenAll(StorageNames.Containers.Select(c => Container(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
    }

    /// <summary>A cheap round trip that proves table storage answers.</summary>
    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => IsReachableAsync(StorageService.Tables, cancellationToken);

    /// <summary>A cheap round trip that proves one storage service answers; used by the health endpoint.</summary>
    public async Task<bool> IsReachableAsync(StorageService service, CancellationToken cancellationToken)
    {
        try
        {
            switch (service)
            {
                case StorageService.Tables:
                    await _tables.GetPropertiesAsync(cancellationToken);
                    break;
                case StorageService.Queues:
                    await _queues.GetPropertiesAsync(cancellationToken);
                    break;
                default:
                    await _blobs.GetPropertiesAsync(cancellationToken);
                    break;
            }

            return true;
        }
        catch (Exception)
        {
            // Any failure (refused connection, retries exhausted, auth, timeout) means "not reachable" to a probe.
            return false;
        }
    }

    // The SDK's default waits up to 100 s per try and retries: a hanging account would hold a worker for minutes.
    private static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(10);

    private static QueueClientOptions QueueOptions()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }

    private static TableClientOptions TableOptions()
    {
        var options = new TableClientOptions();
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }

    private static BlobClientOptions BlobOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }
}
