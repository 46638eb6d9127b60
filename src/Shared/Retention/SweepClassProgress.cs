namespace Messaging.Shared.Retention;

/// <summary>
/// One class of data in a sweep: its name (the setting's last part), its period (ISO 8601) and rows deleted. The
/// checkpoint (index day table and the continuation after its last finished page) lets a resumed sweep skip what it did.
/// </summary>
public sealed record SweepClassProgress(string Name, string Retention, long Deleted, bool Done, string? Checkpoint = null);
