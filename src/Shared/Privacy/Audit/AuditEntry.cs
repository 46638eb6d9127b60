namespace Messaging.Shared.Privacy.Audit;

/// <summary>One link of the audit chain. Contact keys, request ids, action names and counts only: no personal data.</summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, string? ContactKey, string? RequestId, string Action, string Counts, string PreviousHash, string Hash);
