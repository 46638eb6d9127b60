using Messaging.LocalHost.Security;
using Messaging.Shared.Backups;

namespace Messaging.LocalHost.Backups;

/// <summary>For the operator: take a backup now and list backups (the Functions app's BackupFunctions).</summary>
public static class BackupEndpoints
{
    public static IEndpointRouteBuilder MapBackupEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BackupHandlers.Route).WithTags("Operations").RequireApiKey();

        group.MapPost("/", (BackupHandlers handlers, CancellationToken cancellationToken) => handlers.StartAsync(cancellationToken))
            .WithName("StartBackup")
            .WithSummary("Backs up every table now (keys apart); answers with the backup's id.");

        group.MapGet("/", (BackupHandlers handlers, CancellationToken cancellationToken) => handlers.ListAsync(cancellationToken))
            .WithName("ListBackups")
            .WithSummary("Backups, newest first, with size and row counts per table.");

        return app;
    }
}
