using Messaging.Shared.Backups;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Backups;

/// <summary>The operator's backup API, as LocalHost's BackupEndpoints, onto the shared <see cref="BackupHandlers"/>.</summary>
public sealed class BackupFunctions(BackupHandlers handlers)
{
    [Function("StartBackup")]
    public Task<Accepted<BackupAccepted>> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/operations/backups")] HttpRequest request,
        CancellationToken cancellationToken) =>
        handlers.StartAsync(cancellationToken);

    [Function("ListBackups")]
    public Task<Ok<IReadOnlyList<BackupManifest>>> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/operations/backups")] HttpRequest request,
        CancellationToken cancellationToken) =>
        handlers.ListAsync(cancellationToken);
}
