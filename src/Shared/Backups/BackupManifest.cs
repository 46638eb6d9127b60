namespace Messaging.Shared.Backups;

/// <summary>
/// A backup as <c>GET /api/operations/backups</c> lists it; also its manifest.json, written last, so a run that died
/// before it is not listed (and is pruned with its age). Row counts and sizes only, no personal data.
/// </summary>
public sealed record BackupManifest(
    string BackupId,
    DateTimeOffset CreatedAt,
    long SizeBytes,
    IReadOnlyList<BackupTable> Tables,
    BackupKeys Keys);

/// <summary>One table of a backup: its name, rows and compressed bytes.</summary>
public sealed record BackupTable(string Name, long Rows, long SizeBytes);

/// <summary>The per-contact keys of a backup, kept apart: rows, bytes, and until when they are kept (Backup:KeyRetention).</summary>
public sealed record BackupKeys(long Rows, long SizeBytes, DateTimeOffset KeptUntil);

/// <summary>202 body of POST /api/operations/backups.</summary>
public sealed record BackupAccepted(string BackupId);

/// <summary>
/// What a restore did: rows written, keys restored (none once the key backup is past Backup:KeyRetention), contacts erased
/// now whose keys were shredded again, and the backup's rows of those contacts that were left out.
/// </summary>
public sealed record RestoreReport(string BackupId, long Rows, long Keys, bool KeysAvailable, int ErasuresReapplied, long ErasedRowsSkipped);
