namespace Messaging.Shared.Retention;

/// <summary>
/// Where a finished or failed sweep is recorded: <see cref="AuditLogSweepAudit"/> (the hash-chained audit log); a seam so
/// the sweep's tests and the benchmark need not depend on the chain. Counts and periods only, no personal data.
/// </summary>
public interface ISweepAudit
{
    Task RecordAsync(RetentionSweep sweep, CancellationToken cancellationToken);
}
