using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Backups;

/// <summary>The operator's backup API over HTTP, for both hosts, onto <see cref="BackupService"/>.</summary>
public sealed class BackupHandlers(BackupService backups)
{
    public const string Route = "/api/operations/backups";

    /// <summary>
    /// Takes a backup now (the daily one runs on the retention schedule). It is written before the answer, so the 202's
    /// backup is already listed; a run that dies leaves no manifest and is not listed.
    /// </summary>
    public async Task<Accepted<BackupAccepted>> StartAsync(CancellationToken cancellationToken)
    {
        var manifest = await backups.CreateAsync(cancellationToken);
        return TypedResults.Accepted(Route, new BackupAccepted(manifest.BackupId));
    }

    public async Task<Ok<IReadOnlyList<BackupManifest>>> ListAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(await backups.ListAsync(cancellationToken));
}
