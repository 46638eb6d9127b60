using System.Text.Json;
using Messaging.Shared.Backups;

namespace Messaging.LocalHost.Backups;

/// <summary>
/// <c>./restore BACKUP_ID</c>: LocalHost started with <c>restore BACKUP_ID</c> restores that backup into its storage and
/// exits, without serving (see <see cref="BackupService.RestoreAsync"/> for what is restored and what is not).
/// </summary>
public static class RestoreCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <returns>The exit code when the arguments ask for a restore; null to start the host as usual.</returns>
    public static async Task<int?> TryRunAsync(WebApplication app, string[] args)
    {
        if (args is not ["restore", var backupId])
        {
            return null;
        }

        var report = await app.Services.GetRequiredService<BackupService>().RestoreAsync(backupId, CancellationToken.None);
        if (report is null)
        {
            await Console.Error.WriteLineAsync($"No finished backup with id '{backupId}' (see GET /api/operations/backups).");
            return 1;
        }

        Console.WriteLine(JsonSerializer.Serialize(report, Json));
        return 0;
    }
}
