using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Backups;

/// <summary>The operator's backup API over HTTP, for both hosts, onto <see cref="BackupOperations"/> and <see cref="BackupService"/>.</summary>
public sealed class BackupHandlers(BackupOperations operations, BackupService backups)
{
    public const string Route = "/api/operations/backups";

    /// <summary>Queues a backup and answers at once; the backup is listed when its worker has written its manifest.</summary>
    public async Task<Accepted<BackupAccepted>> StartAsync(CancellationToken cancellationToken) =>
        TypedResults.Accepted(Route, await operations.StartAsync(cancellationToken));

    public async Task<Ok<IReadOnlyList<BackupManifest>>> ListAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(await backups.ListAsync(cancellationToken));
}
