namespace Messaging.Shared.Retention;

/// <summary>
/// Where a finished sweep is recorded. Seam for the hash-chained audit log of issue 9 (erasure): until that is on main,
/// <see cref="LoggingSweepAudit"/> writes the record to the log. It carries counts and periods only, no personal data.
/// </summary>
public interface ISweepAudit
{
    Task RecordAsync(RetentionSweep sweep, CancellationToken cancellationToken);
}
