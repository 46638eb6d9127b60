namespace Messaging.Shared.Privacy.Audit;

/// <summary>The answer of <c>GET /api/audit/verify</c>: <paramref name="FirstBrokenAt"/> is the first sequence whose link does not hold.</summary>
public sealed record AuditVerification(long Entries, bool Valid, long? FirstBrokenAt);
