namespace Messaging.Shared.Backups;

/// <summary>
/// <c>Backup:Retention</c> (default P30D): how long table backups are kept. <c>Backup:KeyRetention</c> (default P7D): how
/// long the separate backups of the per-contact keys are kept; erasure reaches every backup within this period, because a
/// table backup without its keys holds nothing readable about an erased contact.
/// </summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan KeyRetention { get; set; } = TimeSpan.FromDays(7);
}
