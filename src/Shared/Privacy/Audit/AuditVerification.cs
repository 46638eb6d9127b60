namespace Messaging.Shared.Privacy.Audit;

/// <summary>
/// The answer of <c>GET /api/audit/verify</c> over every chain: <paramref name="FirstBrokenAt"/> is the first sequence
/// whose link does not hold, in chain <paramref name="FirstBrokenChain"/> (0..<see cref="AuditLog.Shards"/>-1).
/// </summary>
public sealed record AuditVerification(long Entries, bool Valid, long? FirstBrokenAt, int? FirstBrokenChain = null);
