namespace Messaging.Shared.Backups;

/// <summary>
/// <c>Backup:Retention</c> (default P30D): how long table backups are kept. <c>Backup:KeyRetention</c> (default P7D): how
/// long the separate backups of the per-contact keys are kept; erasure reaches every backup within this period, because a
/// table backup without its keys holds nothing readable about an erased contact. <c>Backup:Schedule</c> (default
/// "0 0 3 * * *", NCRONTAB with seconds, UTC): the daily backup, half an hour after the retention sweep, so it holds less.
/// </summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan KeyRetention { get; set; } = TimeSpan.FromDays(7);

    public string Schedule { get; set; } = "0 0 3 * * *";
}
