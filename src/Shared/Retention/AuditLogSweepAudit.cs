using System.Globalization;
using Messaging.Shared.Privacy.Audit;

namespace Messaging.Shared.Retention;

/// <summary>
/// Writes each finished or failed sweep to the hash-chained <see cref="AuditLog"/>: per class its period (ISO 8601) and
/// rows deleted. Counts and periods only, no contact. The entry id is the sweep and its outcome, so a sweep whose audit
/// step ran twice (at-least-once) is recorded once.
/// </summary>
public sealed class AuditLogSweepAudit(AuditLog audit) : ISweepAudit
{
    public const string Action = "retention.sweep";

    public Task RecordAsync(RetentionSweep sweep, CancellationToken cancellationToken) =>
        audit.AppendAsync(
            $"retention-sweep:{sweep.SweepId}:{sweep.Status}",
            contactKey: null,
            requestId: sweep.SweepId,
            $"{Action}.{sweep.Status}",
            string.Join(';', sweep.Classes.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name}={c.Deleted}@{c.Retention}"))),
            cancellationToken);
}
